// `npm run bench:lambda`: the bundled handler on Node 24 (Lambda's nodejs24.x), each start in a
// fresh process, interleaved with a bare `node -e ''` start: the import of the bundle, a full cold
// invocation landing 50 plays from the emulator into S3 (s3rver), and its peak RSS. A V8 compile
// cache is measured too, though Lambda cannot use one (see docs/benchmarks.md).
import { Effect } from "effect"
import { mkdtempSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { functionMemoryMb } from "../infra/lib/FunctionSizing.js"
import * as Emulator from "../src/emulator/Emulator.js"
import { makeFakeSecretsManagerServer } from "../test/support/FakeSecretsManagerServer.js"
import { node24, root, run, runInLambdaRuntime, schedulerEvent, standInEnv, unzipInto } from "../test/support/LambdaBundle.js"
import { makeS3rver } from "../test/support/S3rverServer.js"
import { machine, mb, ms, printTable, ratio, spreadOf, timed } from "./Spread.js"

const rounds = Number(process.env["BENCH_ROUNDS"] ?? 15)

const bench = Effect.gen(function*() {
  const built = yield* run(process.execPath, ["build.mjs"])
  if (built.code !== 0) return yield* Effect.dieMessage(built.stderr)
  const bundleBytes = statSync(join(root, "dist/lambda/index.mjs")).size
  const zipBytes = statSync(join(root, "dist/lambda.zip")).size
  const node = yield* node24
  const { task } = yield* unzipInto(join(root, "dist/lambda.zip"))
  const handler = join(task, "index.mjs")

  const emulator = yield* Emulator.make({ seed: 42 })
  yield* emulator.listen(50)
  const s3 = yield* makeS3rver()
  const sm = yield* makeFakeSecretsManagerServer()
  sm.nowMs = Date.now()
  const secretArn = sm.create(
    "spotify-pipeline/spotify",
    JSON.stringify({ client_id: "emulator-client", client_secret: "emulator-secret", refresh_token: "emulator-refresh-token" })
  )
  const env = (prefix: string) =>
    standInEnv({
      lakeUrl: `s3://${s3.bucket}/${prefix}`,
      secretId: secretArn,
      spotifyUrl: emulator.url,
      s3Endpoint: s3.endpoint,
      secretsManagerEndpoint: sm.endpoint
    })
  const bareEnv = { PATH: process.env["PATH"] ?? "" }
  const cache = mkdtempSync(join(tmpdir(), "bench-compile-cache-"))
  yield* Effect.addFinalizer(() => Effect.sync(() => rmSync(cache, { recursive: true, force: true })))
  // One import writes the cache the measured ones then read.
  yield* runInLambdaRuntime(node, handler, { ...env("cache"), NODE_COMPILE_CACHE: cache }, { invocations: [] })

  const bare: Array<number> = []
  const imported: Array<number> = []
  const cachedImport: Array<number> = []
  const invoked: Array<number> = []
  const rss: Array<number> = []
  const bareRss: Array<number> = []
  for (let round = 0; round < rounds; round++) {
    bare.push((yield* timed(run(node, ["-e", ""], { env: bareEnv }))).ms)
    imported.push((yield* timed(runInLambdaRuntime(node, handler, env("import"), { invocations: [] }))).ms)
    cachedImport.push(
      (yield* timed(runInLambdaRuntime(node, handler, { ...env("import"), NODE_COMPILE_CACHE: cache }, { invocations: [] }))).ms
    )
    const cold = yield* timed(runInLambdaRuntime(node, handler, env(`cold-${round}`), {
      invocations: [{ event: schedulerEvent(new Date().toISOString(), `bench-${round}`), requestId: `bench-${round}`, timeoutMs: 320_000 }]
    }))
    const outcome = cold.value.results.outcomes[0]
    if (outcome === undefined || !outcome.ok) return yield* Effect.dieMessage(`the invocation failed: ${JSON.stringify(outcome)}`)
    invoked.push(cold.ms)
    rss.push(cold.value.results.maxRssKb)
    const bareRun = yield* run(node, ["-e", "console.log(process.resourceUsage().maxRSS)"], { env: bareEnv })
    bareRss.push(Number(bareRun.stdout.trim()))
  }

  const baseline = spreadOf(bare)
  const version = (yield* run(node, ["--version"])).stdout.trim()
  printTable(`Lambda handler on Node ${version}, ${rounds} rounds, min / median / max`, [
    ["bundle (dist/lambda/index.mjs)", `${bundleBytes.toLocaleString("en")} bytes (goal <= 700,000)`],
    ["dist/lambda.zip", `${zipBytes.toLocaleString("en")} bytes`],
    ["bare start, node -e ''", ms(baseline)],
    ["import of the bundle, fresh process", `${ms(spreadOf(imported))}   ${ratio(spreadOf(imported), baseline, 4.5)}`],
    ["  the same with a V8 compile cache", `${ms(spreadOf(cachedImport))}   ${ratio(spreadOf(cachedImport), baseline)}`],
    ["cold invocation landing 50 plays", `${ms(spreadOf(invoked))}   ${ratio(spreadOf(invoked), baseline, 9)}`],
    [`peak RSS of that invocation (${functionMemoryMb} MB function)`, `${mb(spreadOf(rss))}   (goal < 100 MB)`],
    ["peak RSS, bare node -e ''", mb(spreadOf(bareRss))]
  ])
  console.log(`  machine: ${machine()}`)
})

Effect.runPromise(Effect.scoped(bench)).catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
