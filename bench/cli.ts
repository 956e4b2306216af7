// `npm run bench:cli`: the CLI on Node 24, each start in a fresh process, interleaved with a bare
// `node -e ''` start: `status` and `sync` run from the bundle, and `npm start -- status` (the
// same bundle behind npm and the freshness check), on a folder lake fed by the emulator. What
// `npm start` adds is split in two: the freshness check (`node build.mjs --start`, what npm
// runs) and npm's own start (`npm --version`), which no project can make shorter.
import { Effect } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import * as Emulator from "../src/emulator/Emulator.js"
import { node24, root, run } from "../test/support/LambdaBundle.js"
import { machine, mb, ms, printTable, ratio, spreadOf, timed } from "./Spread.js"

const rounds = Number(process.env["BENCH_ROUNDS"] ?? 15)

/** Peak RSS of `args` on `node`, measured by the process itself as it exits. */
const rssProbe = "process.on('exit', () => process.stderr.write(`rss=${process.resourceUsage().maxRSS}\\n`))"

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

  const bare: Array<number> = []
  const status: Array<number> = []
  const npmStatus: Array<number> = []
  const checkedStatus: Array<number> = []
  const npmAlone: Array<number> = []
  const sync: Array<number> = []
  const syncRss: Array<number> = []
  for (let round = 0; round < rounds; round++) {
    bare.push((yield* timed(run(node, ["-e", ""], { env }))).ms)
    status.push((yield* timed(cli("status"))).ms)
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
    ["  its peak RSS", mb(spreadOf(syncRss))]
  ])
  console.log(`  machine: ${machine()}`)
})

Effect.runPromise(Effect.scoped(bench)).catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
