// `npm run bench:cli`: the CLI on Node 24, each start in a fresh process, interleaved with a bare
// `node -e ''` start: `status` and `sync` run from the bundle, and `npm start -- status` (the
// same bundle behind npm and the freshness check), on a folder lake fed by the emulator. What
// `npm start` adds is split in two: the freshness check (`node build.mjs --start`, what npm
// runs) and npm's own start (`npm --version`), which no project can make shorter. Then `status`
// on a lake of two years of 30-minute syncs (35,040 plays objects) with 3,000 recorded gaps.
import { Effect } from "effect"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { EpochMs } from "../src/domain/Instant.js"
import { Gap } from "../src/domain/Gap.js"
import * as Emulator from "../src/emulator/Emulator.js"
import { encodeJson } from "../src/services/lake/LakeCodec.js"
import { gapKey, playsKey } from "../src/services/lake/LakeLayout.js"
import { node24, root, run } from "../test/support/LambdaBundle.js"
import { machine, mb, ms, printTable, ratio, spreadOf, timed } from "./Spread.js"

const rounds = Number(process.env["BENCH_ROUNDS"] ?? 15)

/** Peak RSS of `args` on `node`, measured by the process itself as it exits. */
const rssProbe = "process.on('exit', () => process.stderr.write(`rss=${process.resourceUsage().maxRSS}\\n`))"

const dayMs = 86_400_000

/** Two years of a sync every 30 minutes landing plays (one object each), and `gaps` recorded gaps: status reads only names. */
const writeLargeLake = (root: string, gaps: number) => {
  const start = Date.UTC(2024, 0, 1)
  const write = (key: string, body: string) => {
    mkdirSync(dirname(join(root, key)), { recursive: true })
    writeFileSync(join(root, key), body)
  }
  let objects = 0
  for (let day = 0; day < 730; day++) {
    for (let sync = 0; sync < 48; sync++) {
      const firstMs = start + day * dayMs + sync * 1_800_000
      const body = `{"played_at_ms":${firstMs}}\n`
      write(playsKey(firstMs, firstMs + 600_000, body), body)
      objects++
    }
  }
  for (let i = 0; i < gaps; i++) {
    const from = start + i * 5 * 3_600_000
    write(gapKey(from), encodeJson(Gap, { from: EpochMs.make(from), to: EpochMs.make(from + 600_000), detected_at: EpochMs.make(from + 900_000) }))
  }
  return objects
}

const bench = Effect.gen(function*() {
  const built = yield* run(process.execPath, ["build.mjs"])
  if (built.code !== 0) return yield* Effect.dieMessage(built.stderr)
  const node = yield* node24
  const emulator = yield* Emulator.make({ seed: 5 })
  const lake = mkdtempSync(join(tmpdir(), "bench-cli-lake-"))
  yield* Effect.addFinalizer(() => Effect.sync(() => rmSync(lake, { recursive: true, force: true })))
  // npm itself and `npm start`'s node come from Node 24's folder, first on PATH.
  const env = {
    PATH: `${dirname(node)}:${process.env["PATH"] ?? ""}`,
    HOME: process.env["HOME"] ?? tmpdir(),
    LAKE_URL: lake,
    SPOTIFY_API_URL: emulator.url,
    SPOTIFY_ACCOUNTS_URL: emulator.url,
    SPOTIFY_CLIENT_ID: "emulator-client",
    SPOTIFY_CLIENT_SECRET: "emulator-secret",
    SPOTIFY_REFRESH_TOKEN: "emulator-refresh-token"
  }
  const cli = (...args: ReadonlyArray<string>) => run(node, ["dist/cli.mjs", ...args], { env, cwd: root })
  yield* emulator.listen(30)
  const first = yield* cli("sync")
  if (first.code !== 0) return yield* Effect.dieMessage(`the first sync failed: ${first.stderr}`)
  const largeLake = mkdtempSync(join(tmpdir(), "bench-cli-large-lake-"))
  yield* Effect.addFinalizer(() => Effect.sync(() => rmSync(largeLake, { recursive: true, force: true })))
  const largeGaps = 3_000
  const largeObjects = writeLargeLake(largeLake, largeGaps)

  const bare: Array<number> = []
  const status: Array<number> = []
  const npmStatus: Array<number> = []
  const checkedStatus: Array<number> = []
  const npmAlone: Array<number> = []
  const sync: Array<number> = []
  const syncRss: Array<number> = []
  const largeStatus: Array<number> = []
  for (let round = 0; round < rounds; round++) {
    bare.push((yield* timed(run(node, ["-e", ""], { env }))).ms)
    status.push((yield* timed(cli("status"))).ms)
    const large = yield* timed(run(node, ["dist/cli.mjs", "status"], { env: { ...env, LAKE_URL: largeLake }, cwd: root }))
    if (large.value.code !== 0) return yield* Effect.dieMessage(`status on the large lake failed: ${large.value.stderr}`)
    largeStatus.push(large.ms)
    npmStatus.push((yield* timed(run("npm", ["start", "--silent", "--", "status"], { env, cwd: root }))).ms)
    checkedStatus.push((yield* timed(run(node, ["build.mjs", "--start", "status"], { env, cwd: root }))).ms)
    npmAlone.push((yield* timed(run("npm", ["--version"], { env, cwd: root }))).ms)
    yield* emulator.listen(3)
    const synced = yield* timed(run(node, ["--import", `data:text/javascript,${encodeURIComponent(rssProbe)}`, "dist/cli.mjs", "sync"], { env, cwd: root }))
    if (synced.value.code !== 0) return yield* Effect.dieMessage(`a sync failed: ${synced.value.stderr}`)
    sync.push(synced.ms)
    syncRss.push(Number(/rss=(\d+)/.exec(synced.value.stderr)?.[1] ?? Number.NaN))
  }

  const baseline = spreadOf(bare)
  const version = (yield* run(node, ["--version"])).stdout.trim()
  printTable(`CLI on Node ${version}, ${rounds} rounds, min / median / max`, [
    ["bare start, node -e ''", ms(baseline)],
    ["node dist/cli.mjs status", `${ms(spreadOf(status))}   ${ratio(spreadOf(status), baseline, 4)}`],
    ["npm start -- status", `${ms(spreadOf(npmStatus))}   ${ratio(spreadOf(npmStatus), spreadOf(status), 1.5)} of the bundle's`],
    ["  node build.mjs --start status", `${ms(spreadOf(checkedStatus))}   ${ratio(spreadOf(checkedStatus), spreadOf(status))} of the bundle's`],
    ["  npm --version (npm's own start)", ms(spreadOf(npmAlone))],
    ["node dist/cli.mjs sync (3 new plays)", `${ms(spreadOf(sync))}   ${ratio(spreadOf(sync), baseline)}`],
    ["  its peak RSS", mb(spreadOf(syncRss))],
    [
      `status, 2 years of syncs (${largeObjects.toLocaleString("en")} plays objects, ${largeGaps.toLocaleString("en")} gaps)`,
      `${ms(spreadOf(largeStatus))}   ${ratio(spreadOf(largeStatus), baseline)}`
    ]
  ])
  console.log(`  machine: ${machine()}`)
})

Effect.runPromise(Effect.scoped(bench)).catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
