// `npm run bench`: the Lambda bundle's size, its cold load in a fresh Node 24 process (import +
// first layer build) against a bare `node -e ''` start, and the peak RSS of one invocation that
// lands 50 plays from the emulator into S3 (s3rver), all on this machine.
import { Effect } from "effect"
import { statSync } from "node:fs"
import { join } from "node:path"
import { functionMemoryMb } from "../infra/lib/FunctionSizing.js"
import * as Emulator from "../src/emulator/Emulator.js"
import { makeFakeSecretsManagerServer } from "../test/support/FakeSecretsManagerServer.js"
import { node24, root, run, runInLambdaRuntime, schedulerEvent, standInEnv, unzipInto } from "../test/support/LambdaBundle.js"
import { makeS3rver } from "../test/support/S3rverServer.js"

const rounds = 15

const median = (values: ReadonlyArray<number>) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 0 ? ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2 : sorted[middle] ?? 0
}

const timed = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const started = performance.now()
    const value = yield* effect
    return { value, ms: performance.now() - started }
  })

const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`

const bench = Effect.gen(function*() {
  const built = yield* run(process.execPath, ["build.mjs"])
  if (built.code !== 0) return yield* Effect.dieMessage(built.stderr)
  const bundleBytes = statSync(join(root, "dist/lambda/index.mjs")).size
  const zipBytes = statSync(join(root, "dist/lambda.zip")).size
  const node = yield* node24
  const { task } = yield* unzipInto(join(root, "dist/lambda.zip"))
  const handler = join(task, "index.mjs")

  const emulator = yield* Emulator.make({ seed: 42 })
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

  // Alternate the two kinds of start, so both see the same machine.
  const bare: Array<number> = []
  const cold: Array<number> = []
  const inProcess: Array<number> = []
  for (let round = 0; round < rounds; round++) {
    bare.push((yield* timed(run(node, ["-e", ""], { env: { PATH: process.env.PATH ?? "" } }))).ms)
    const load = yield* timed(runInLambdaRuntime(node, handler, env("cold"), { invocations: [], prewarmOnly: true }))
    cold.push(load.ms)
    inProcess.push(load.value.results.prewarmMs ?? Number.NaN)
  }

  yield* emulator.listen(50)
  const invokeOnce = (memoryMb: number) =>
    Effect.gen(function*() {
      const once = yield* runInLambdaRuntime(node, handler, env(`rss-${memoryMb}`), {
        invocations: [{ event: schedulerEvent(new Date().toISOString(), "bench"), requestId: "bench-1", timeoutMs: 320_000 }]
      }, memoryMb)
      const landed = once.results.outcomes[0]
      if (landed === undefined || !landed.ok) return yield* Effect.dieMessage(`the invocation failed: ${JSON.stringify(landed)}`)
      return once.results
    })
  const deployed = yield* invokeOnce(functionMemoryMb)
  const smallest = yield* invokeOnce(128)
  const bareRss = yield* run(node, ["-e", "console.log(process.resourceUsage().maxRSS)"], { env: { PATH: process.env.PATH ?? "" } })

  const rows: ReadonlyArray<readonly [string, string]> = [
    ["node", deployed.node],
    ["bundle (dist/lambda/index.mjs, minified)", `${bundleBytes.toLocaleString("en")} bytes (limit 1,000,000)`],
    ["dist/lambda.zip", `${zipBytes.toLocaleString("en")} bytes`],
    [`bare start, node -e '' (median of ${rounds})`, `${median(bare).toFixed(0)} ms`],
    [`cold load: fresh process, import + first layer build (median of ${rounds})`, `${median(cold).toFixed(0)} ms`],
    ["cold load / bare start", `${(median(cold) / median(bare)).toFixed(2)}x`],
    ["  of which in the process: start to layer built", `${median(inProcess).toFixed(0)} ms`],
    [`peak RSS, one invocation landing 50 plays (${functionMemoryMb} MB heap limits)`, mb(deployed.maxRssKb)],
    ["  of which V8 heap in use at the end (reserved)", `${mb(deployed.memory.heapUsed / 1024)} (${mb(deployed.memory.heapTotal / 1024)})`],
    ["peak RSS, the same under 128 MB heap limits", mb(smallest.maxRssKb)],
    ["peak RSS, bare node -e ''", mb(Number(bareRss.stdout.trim()))]
  ]
  const width = Math.max(...rows.map(([name]) => name.length))
  for (const [name, value] of rows) console.log(`${name.padEnd(width)}  ${value}`)
})

Effect.runPromise(Effect.scoped(bench)).catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
