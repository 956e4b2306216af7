// `npm run bench:analytics`: the SQL models and the report on generated lakes of 100,000 and
// 1,000,000 listens (2 and 20 years of heavy listening): the first full build (three runs), a build with
// nothing new, a build after one more day of live plays, the report, and a top-artists query
// over the Parquet warehouse against the same query over the lake's JSON Lines. Measured, not asserted.
import { Effect, type Layer } from "effect"
import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { buildModels } from "../src/programs/BuildModels.js"
import { buildReport } from "../src/programs/BuildReport.js"
import { writeGeneratedLake } from "../test/support/GeneratedLake.js"
import { analyticsOver, play, quietBuild, rowsOf, writeLake } from "../test/support/HandLake.js"
import { node24 } from "../test/support/LambdaBundle.js"
import { machine, spreadOf } from "./Spread.js"

const sizes = [
  { listens: 100_000, days: 730 },
  { listens: 1_000_000, days: 7_300 }
] as const

const firstBuildRuns = 3

interface Took {
  readonly ms: number
  /** CPU time of the whole process (DuckDB's threads included): steadier than wall time on a shared machine. */
  readonly cpuMs: number
}

const timed = async (work: () => Promise<unknown>): Promise<Took> => {
  const started = performance.now()
  const cpu = process.cpuUsage()
  await work()
  const used = process.cpuUsage(cpu)
  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 }
}

type Analytics = Layer.Layer.Success<ReturnType<typeof analyticsOver>>

/** Each step in a fresh engine, as a command would run it. */
const run = <A, E>(root: string, effect: Effect.Effect<A, E, Analytics>) =>
  Effect.runPromise(Effect.provide(effect, analyticsOver(root)))

const topArtists = (from: string) =>
  `SELECT artist_name, count(*) AS listens FROM ${from} WHERE ms_played >= 30000 AND artist_name IS NOT NULL
   GROUP BY artist_name ORDER BY listens DESC LIMIT 10`

const bench = async () => {
  const atStart = machine()
  const rows: Array<[string, string]> = []
  const duration = (ms: number) => ms < 10_000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(1)} s`
  const add = (name: string, took: Took | number) =>
    rows.push([name, typeof took === "number" ? duration(took) : `${duration(took.ms)}  (CPU ${duration(took.cpuMs)})`])
  for (const size of sizes) {
    const label = `${(size.listens / 1000).toLocaleString("en")}k listens`
    const root = mkdtempSync(join(tmpdir(), "bench-analytics-"))
    try {
      let written = 0
      add(`${label}: generate the lake`, await timed(async () => {
        written = writeGeneratedLake(root, { ...size, lastDay: "2026-11-20", liveDays: 400, seed: 42 }).listens
      }))
      // The figure the goal is about, on a machine whose speed wanders: several runs, each from an empty warehouse/.
      const firsts: Array<Took> = []
      for (let i = 0; i < firstBuildRuns; i++) {
        rmSync(join(root, "warehouse"), { recursive: true, force: true })
        firsts.push(await timed(() => run(root, buildModels(quietBuild))))
      }
      const wall = spreadOf(firsts.map((took) => took.ms))
      const seconds = (value: number) => (value / 1000).toFixed(1)
      rows.push([
        `${label}: models, first build (all ${written.toLocaleString("en")} listens), min / median / max of ${firstBuildRuns}`,
        `${seconds(wall.min)} / ${seconds(wall.median)} / ${seconds(wall.max)} s  (CPU median ${seconds(spreadOf(firsts.map((took) => took.cpuMs)).median)} s)`
      ])
      add(`${label}: models, nothing new`, await timed(() => run(root, buildModels(quietBuild))))
      writeLake(root, { plays: Array.from({ length: 60 }, (_, i) => play(`2026-11-21T${String(8 + Math.floor(i / 6)).padStart(2, "0")}:${String((i % 6) * 9).padStart(2, "0")}:00Z`, `New ${i}`, "Fresh")) })
      add(`${label}: models, one more day of live plays`, await timed(() => run(root, buildModels(quietBuild))))
      add(`${label}: report (models up to date)`, await timed(() => run(root, buildReport({ ...quietBuild, year: undefined }))))
      const parquet = `read_parquet('${root}/warehouse/listens/*/*.parquet')`
      const json = `read_json('${root}/exports/*/*/*/*/*.jsonl', format = 'newline_delimited', columns = {artist_name: 'VARCHAR', ms_played: 'BIGINT'})`
      // One engine, the query run several times: the figure is the query, not opening DuckDB.
      const queryTimes = (from: string, times: number) =>
        run(root, Effect.gen(function*() {
          const each: Array<number> = []
          for (let i = 0; i < times; i++) {
            const started = performance.now()
            yield* rowsOf(topArtists(from))
            each.push(performance.now() - started)
          }
          return spreadOf(each).median
        }))
      add(`${label}: top artists over Parquet (warehouse/listens), median of 5`, await queryTimes(parquet, 5))
      add(`${label}: top artists over JSON Lines (exports/), median of 3`, await queryTimes(json, 3))
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  }
  const width = Math.max(...rows.map(([name]) => name.length))
  console.log(`node ${process.version}, ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB peak RSS`)
  console.log(`at the start: ${atStart}`)
  console.log(`at the end:   ${machine()}`)
  for (const [name, value] of rows) console.log(`${name.padEnd(width)}  ${value}`)
}

// Measured on Node 24, the version the README recommends, as the other benchmarks are: started on
// another Node, the script runs itself again on Node 24 (fetched by npx, as bench:lambda does).
const onNode24 = async () => {
  if (process.versions.node.split(".")[0] === "24") return bench()
  const node = await Effect.runPromise(node24)
  const ran = spawnSync(node, ["--import", "tsx", fileURLToPath(import.meta.url)], { stdio: "inherit" })
  process.exitCode = ran.status ?? 1
}

onNode24().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
