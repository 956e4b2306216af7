import { Command } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { Effect, Fiber, Mailbox, Option, Stream, SubscriptionRef } from "effect"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("../..", import.meta.url))

// On Node 20 the AWS SDK warns on stderr that its 2027 releases need Node 22: true, but no test's subject.
const quietSdk = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" }

export interface CliResult {
  readonly code: number
  readonly stdout: string
  /** Less the one line on a Node.js older than 22 (`nodeNotice`): tests run on Node 20 too. */
  readonly stderr: string
  readonly nodeNotice: boolean
}

const nodeNotice = /^Note: spotify-pipeline needs Node\.js 22 or newer \(24 recommended\); this is v\d+\.\d+\.\d+, past its end of life\. It runs for now; upgrade Node\.js\.\n/

const withoutNodeNotice = (stderr: string) => stderr.replace(nodeNotice, "")

export interface RunningCli {
  /** Waits until stdout so far matches `pattern` (dies if stdout ends first). */
  readonly stdoutMatching: (pattern: RegExp) => Effect.Effect<RegExpExecArray>
  readonly writeStdin: (text: string) => Effect.Effect<void>
  readonly endStdin: Effect.Effect<void>
  /** Sends the process a signal, as Ctrl-C (SIGINT) or a service manager (SIGTERM) does. */
  readonly signal: (signal: "SIGINT" | "SIGTERM") => Effect.Effect<void>
  readonly result: Effect.Effect<CliResult>
}

interface Output {
  readonly stdout: string
  readonly stderr: string
  readonly stdoutEnded: boolean
}

/** The CLI in a fresh Node process (as `npm start -- ...` runs it), talked to while it runs; killed when the scope closes. */
export const spawnCli = (args: ReadonlyArray<string>, env: Readonly<Record<string, string>>) =>
  Effect.gen(function*() {
    const stdin = yield* Mailbox.make<Uint8Array>()
    // The process may end with its stdin still open; ending it lets what feeds the pipe finish too.
    yield* Effect.addFinalizer(() => stdin.end)
    // Exactly what `npm start -- <args>` runs (the bundle, rebuilt first if a source is newer).
    const cli = yield* Command.make(process.execPath, "build.mjs", "--start", ...args).pipe(
      Command.workingDirectory(root),
      Command.env({ ...quietSdk, PATH: process.env.PATH ?? "", ...env }, { extendEnv: false }),
      Command.stdin(Mailbox.toStream(stdin)),
      Command.start
    )
    const output = yield* SubscriptionRef.make<Output>({ stdout: "", stderr: "", stdoutEnded: false })
    const collect = (stream: Stream.Stream<Uint8Array, unknown>, append: (output: Output, text: string) => Output) =>
      stream.pipe(Stream.decodeText(), Stream.runForEach((text) => SubscriptionRef.update(output, (o) => append(o, text))))
    const readers = yield* Effect.all([
      collect(cli.stdout, (o, text) => ({ ...o, stdout: o.stdout + text })).pipe(
        Effect.ensuring(SubscriptionRef.update(output, (o) => ({ ...o, stdoutEnded: true })))
      ),
      collect(cli.stderr, (o, text) => ({ ...o, stderr: o.stderr + text }))
    ], { concurrency: 2, discard: true }).pipe(Effect.orDie, Effect.forkScoped)

    const result = Effect.gen(function*() {
      const code = yield* Effect.orDie(cli.exitCode)
      yield* Fiber.join(readers)
      const { stderr, stdout } = yield* SubscriptionRef.get(output)
      return { code, stdout, stderr: withoutNodeNotice(stderr), nodeNotice: nodeNotice.test(stderr) } satisfies CliResult
    })

    const stdoutMatching = (pattern: RegExp) =>
      Effect.gen(function*() {
        const seen = yield* output.changes.pipe(
          Stream.map((o) => ({ match: pattern.exec(o.stdout), ended: o.stdoutEnded })),
          Stream.filter(({ ended, match }) => match !== null || ended),
          Stream.runHead
        )
        const match = Option.getOrUndefined(seen)?.match ?? null
        if (match !== null) return match
        const { stderr, stdout } = yield* result
        return yield* Effect.dieMessage(`the CLI ended before printing ${pattern}; stdout: ${stdout}; stderr: ${stderr}`)
      })

    return {
      stdoutMatching,
      writeStdin: (text) => stdin.offer(new TextEncoder().encode(text)).pipe(Effect.asVoid),
      endStdin: stdin.end.pipe(Effect.asVoid),
      signal: (signal) => cli.kill(signal).pipe(Effect.orDie),
      result
    } satisfies RunningCli
  }).pipe(Effect.orDie, Effect.provide(NodeContext.layer))

/**
 * Runs the CLI to the end as a user does, in a fresh Node process whose environment holds
 * only PATH, the SDK's quiet switch and the given variables, with no input.
 */
export const runCli = (args: ReadonlyArray<string>, env: Readonly<Record<string, string>>) =>
  Effect.scoped(Effect.flatMap(spawnCli(args, env), (cli) => Effect.zipRight(cli.endStdin, cli.result)))

/** The variables that point the CLI's Spotify side at an emulator serving at `url`. */
export const emulatorEnv = (emulator: { readonly url: string }) => ({
  SPOTIFY_CLIENT_ID: "emulator-client",
  SPOTIFY_CLIENT_SECRET: "emulator-secret",
  SPOTIFY_REFRESH_TOKEN: "emulator-refresh-token",
  SPOTIFY_API_URL: emulator.url,
  SPOTIFY_ACCOUNTS_URL: emulator.url
})
