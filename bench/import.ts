// `npm run bench:import`: import throughput from zip to a folder lake for a generated extended
// history of 250,000 rows (15 years of heavy listening), and peak RSS at two sizes to show it does
// not grow with the number of files; then a second export of the same years (other listens) over
// the lake the first made, which reads back what the lake holds. Each measurement runs in a fresh
// process on Node 24, the version the README recommends (as bench:cli and bench:lambda do).
import { execFileSync } from "node:child_process"
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs"
import { cpus, tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, Schema } from "effect"
import * as Catalog from "../src/emulator/Catalog.js"
import { exportFiles, zipPackage } from "../src/emulator/Export.js"
import { node24 } from "../test/support/LambdaBundle.js"

const year = 365.25 * 24 * 60 * 60_000
const untilMs = Date.UTC(2026, 0, 5)

const generate = (dir: string, rows: number, seed = 99) => {
  const files = exportFiles(Catalog.make(99), [], seed, untilMs, {
    olderListens: rows,
    historyFromMs: untilMs - 15 * year,
    madeAtMs: untilMs
  }).filter((file) => file.path.includes("Extended"))
  const zip = join(dir, `extended-${rows}-${seed}.zip`)
  writeFileSync(zip, zipPackage(files, 6))
  return { zip, files: files.filter((file) => file.path.endsWith(".json")).length }
}

const Run = Schema.Struct({ rows: Schema.Number, ms: Schema.Number, maxRssKb: Schema.Number })
type Run = typeof Run.Type
const decodeRun = Schema.decodeUnknownSync(Schema.parseJson(Run))

const node = await Effect.runPromise(node24)

const run = (mode: "import" | "parse", zip: string, lake: string): Run =>
  decodeRun(execFileSync(node, ["--import", "tsx", "bench/importRun.ts", mode, zip, lake], { encoding: "utf8" }))

const measure = (mode: "import" | "parse", zip: string, dir: string, before?: string): Run => {
  const lake = mkdtempSync(join(dir, "lake-"))
  if (before !== undefined) run("import", before, lake)
  const measured = run(mode, zip, lake)
  rmSync(lake, { recursive: true, force: true })
  return measured
}

const dir = mkdtempSync(join(tmpdir(), "import-bench-"))
try {
  const rate = (run: Run) => `${Math.round(run.rows / (run.ms / 1000)).toLocaleString("en-US")} rows/s`
  const mb = (kb: number) => `${Math.round(kb / 1024)} MB`
  for (const rows of [62_500, 250_000]) {
    const { files, zip } = generate(dir, rows)
    const parse = measure("parse", zip, dir)
    const runs = [measure("import", zip, dir), measure("import", zip, dir), measure("import", zip, dir)]
    const best = runs.reduce((a, b) => (a.ms <= b.ms ? a : b))
    console.log(
      `${rows.toLocaleString("en-US")} rows in ${files} files (zip ${(statSync(zip).size / 1e6).toFixed(1)} MB): ` +
        `import ${(best.ms / 1000).toFixed(2)} s = ${rate(best)} (best of 3), peak RSS ${mb(Math.max(...runs.map((r) => r.maxRssKb)))}; ` +
        `read+inflate+parse+rows alone ${rate(parse)}, peak RSS ${mb(parse.maxRssKb)}`
    )
    if (rows === 250_000) {
      const second = measure("import", generate(dir, rows, 7).zip, dir, zip)
      console.log(`a second export of those years (other listens) over that lake: import ${(second.ms / 1000).toFixed(2)} s = ${rate(second)}`)
    }
  }
  console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, Node ${execFileSync(node, ["--version"], { encoding: "utf8" }).trim()}`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
