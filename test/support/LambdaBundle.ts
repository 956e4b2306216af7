import { Context, Effect, Layer, Schema } from "effect"
import { unzipSync } from "fflate"
import { execFile } from "node:child_process"
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { functionMemoryMb } from "../../infra/lib/FunctionSizing.js"
import { scheduleInput } from "../../src/domain/Deployment.js"
import { tempDir } from "./TempDir.js"

export const root = fileURLToPath(new URL("../..", import.meta.url))
const runtimeScript = fileURLToPath(new URL("./lambda-runtime.mjs", import.meta.url))

interface Ran {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

// By hand: execFile's timeout is wall-clock under any test Clock, and bench/ runs this outside tests too.
export const run = (
  command: string,
  args: ReadonlyArray<string>,
  options: { readonly cwd?: string; readonly env?: Readonly<Record<string, string>>; readonly timeoutMs?: number } = {}
) =>
  Effect.async<Ran>((resume) => {
    const child = execFile(
      command,
      args,
      { cwd: options.cwd ?? root, env: options.env ?? process.env, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1
        resume(Effect.succeed({ code, stdout, stderr }))
      }
    )
    return Effect.sync(() => child.kill())
  })

const orDie = (what: string) => (ran: Ran) =>
  ran.code === 0 ? Effect.succeed(ran) : Effect.dieMessage(`${what} failed (${ran.code}): ${ran.stderr}`)

export interface BuiltBundle {
  readonly dir: string
  readonly bundle: string
  readonly zip: string
}

/** `node build.mjs` into a fresh temp folder, as `npm run build` builds into dist/. */
export const buildBundle = Effect.gen(function*() {
  const dir = yield* tempDir("lambda-build-")
  yield* run(process.execPath, ["build.mjs", "--outdir", dir]).pipe(Effect.flatMap(orDie("node build.mjs")))
  return { dir, bundle: join(dir, "lambda", "index.mjs"), zip: join(dir, "lambda.zip") } satisfies BuiltBundle
})

/** Unzips into a fresh temp folder far from any node_modules, as Lambda unpacks into /var/task. */
export const unzipInto = (zip: string) =>
  Effect.gen(function*() {
    const task = yield* tempDir("lambda-task-")
    const files = unzipSync(new Uint8Array(readFileSync(zip)))
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(join(task, name, ".."), { recursive: true })
      writeFileSync(join(task, name), content)
    }
    return { task, names: Object.keys(files) }
  })

/** The Node 24 binary (Lambda's nodejs24.x), fetched once by npx from the npm registry. */
export const node24 = run("npx", ["-y", "-p", "node@24", "node", "-p", "process.execPath"], { timeoutMs: 300_000 }).pipe(
  Effect.flatMap(orDie("npx -y -p node@24")),
  Effect.map((ran) => ran.stdout.trim())
)

/** The bundle built once and Node 24 fetched once, shared by a block of tests (`layer(BuiltLambda.layer)`). */
export class BuiltLambda extends Context.Tag("test/BuiltLambda")<BuiltLambda, BuiltBundle & { readonly node: string }>() {
  static readonly layer = Layer.scoped(
    BuiltLambda,
    Effect.map(Effect.all([buildBundle, node24], { concurrency: 2 }), ([bundle, node]) => ({ ...bundle, node }))
  )
}

export interface Invocation {
  readonly event: unknown
  readonly requestId: string
  readonly timeoutMs: number
}

const Outcome = Schema.Union(
  Schema.Struct({ requestId: Schema.String, ok: Schema.Literal(true), value: Schema.Unknown }),
  Schema.Struct({ requestId: Schema.String, ok: Schema.Literal(false), errorType: Schema.String, errorMessage: Schema.String })
)

const Results = Schema.parseJson(Schema.Struct({
  node: Schema.String,
  importMs: Schema.Number,
  doneMs: Schema.Number,
  maxRssKb: Schema.Number,
  loadedUndici: Schema.Boolean,
  memory: Schema.Struct({ rss: Schema.Number, heapTotal: Schema.Number, heapUsed: Schema.Number, external: Schema.Number }),
  outcomes: Schema.Array(Outcome)
}))

export interface RuntimeRun extends Ran {
  readonly results: typeof Results.Type
}

/** The heap limits Lambda's Node.js bootstrap derives from the function's memory size. */
export const lambdaHeapFlags = (memoryMb: number) => {
  const newSpace = Math.floor(memoryMb / 10)
  return [`--max-semi-space-size=${Math.floor(newSpace / 2)}`, `--max-old-space-size=${memoryMb - newSpace}`]
}

/**
 * Runs `test/support/lambda-runtime.mjs` on `node` with exactly `env` and the heap limits of a
 * function of `memoryMb` (the stack's, unless given): one fresh "container".
 */
export const runInLambdaRuntime = (
  node: string,
  handler: string,
  env: Readonly<Record<string, string>>,
  plan: { readonly invocations: ReadonlyArray<Invocation> },
  memoryMb = functionMemoryMb
) =>
  Effect.gen(function*() {
    const dir = yield* tempDir("lambda-run-")
    const results = join(dir, "results.json")
    writeFileSync(join(dir, "plan.json"), JSON.stringify({ handler, results, ...plan }))
    const ran = yield* run(node, [...lambdaHeapFlags(memoryMb), runtimeScript, join(dir, "plan.json")], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "", AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMb), ...env }
    })
    if (ran.code !== 0) return yield* Effect.dieMessage(`the Lambda runtime stand-in failed (${ran.code}): ${ran.stderr}`)
    return { ...ran, results: yield* Schema.decode(Results)(readFileSync(results, "utf8")).pipe(Effect.orDie) } satisfies RuntimeRun
  })

/** The event EventBridge Scheduler sends: the stack's input with its placeholders filled in, as Scheduler does. */
export const schedulerEvent = (scheduledTime: string, executionId: string, attempt = 1) => ({
  ...scheduleInput,
  schedule_arn: "arn:aws:scheduler:us-east-1:123456789012:schedule/default/SpotifyPipeline-Sync",
  scheduled_time: scheduledTime,
  execution_id: executionId,
  attempt: String(attempt)
})

/** The handler's environment against local stand-ins: s3rver for S3, a loopback Secrets Manager, the emulator for Spotify. */
export const standInEnv = (stand: {
  readonly lakeUrl: string
  readonly secretId: string
  readonly spotifyUrl: string
  readonly s3Endpoint: string
  readonly secretsManagerEndpoint: string
}) => ({
  LAKE_URL: stand.lakeUrl,
  SPOTIFY_SECRET_ID: stand.secretId,
  SPOTIFY_API_URL: stand.spotifyUrl,
  SPOTIFY_ACCOUNTS_URL: stand.spotifyUrl,
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "S3RVER",
  AWS_SECRET_ACCESS_KEY: "S3RVER",
  AWS_ENDPOINT_URL_S3: stand.s3Endpoint,
  AWS_ENDPOINT_URL_SECRETS_MANAGER: stand.secretsManagerEndpoint
})
