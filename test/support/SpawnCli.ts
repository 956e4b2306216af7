import { Effect } from "effect"
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
const root = fileURLToPath(new URL("../..", import.meta.url))

// On Node 20 the AWS SDK warns on stderr that its 2027 releases need Node 22: true, but no test's subject.
const quietSdk = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" }

export interface CliResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

export interface RunningCli {
  /** Waits until stdout so far matches `pattern` (dies if the process ends first). */
  readonly stdoutMatching: (pattern: RegExp) => Effect.Effect<RegExpExecArray>
  readonly writeStdin: (text: string) => Effect.Effect<void>
  readonly endStdin: () => void
  readonly result: Effect.Effect<CliResult>
}

/** The CLI in a fresh Node process (as `npm start -- ...` runs it), talked to while it runs; killed when the scope closes. */
export const spawnCli = (args: ReadonlyArray<string>, env: Readonly<Record<string, string>>) =>
  Effect.gen(function*() {
    const child = yield* Effect.acquireRelease(
      Effect.sync(() =>
        spawn(process.execPath, ["--import", "tsx", "src/entrypoints/cli.ts", ...args], {
          cwd: root,
          env: { ...quietSdk, PATH: process.env.PATH ?? "", ...env },
          stdio: ["pipe", "pipe", "pipe"]
        })
      ),
      (child) => Effect.sync(() => void (child.exitCode === null && child.kill()))
    )
    let stdout = ""
    let stderr = ""
    let closed = false
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => void (stdout += chunk))
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => void (stderr += chunk))
    const exited = new Promise<number>((resolve) =>
      child.on("close", (code) => {
        closed = true
        resolve(code ?? 1)
      })
    )

    const stdoutMatching = (pattern: RegExp) =>
      Effect.async<RegExpExecArray>((resume) => {
        const check = () => {
          const match = pattern.exec(stdout)
          if (match !== null) {
            stop()
            resume(Effect.succeed(match))
          }
        }
        const ended = () => {
          stop()
          resume(Effect.dieMessage(`the CLI ended before printing ${pattern}; stdout: ${stdout}; stderr: ${stderr}`))
        }
        const stop = () => {
          child.stdout.off("data", check)
          child.off("close", ended)
        }
        child.stdout.on("data", check)
        child.on("close", ended)
        check()
        if (closed) ended()
        return Effect.sync(stop)
      })

    return {
      stdoutMatching,
      writeStdin: (text) => Effect.sync(() => void child.stdin.write(text)),
      endStdin: () => void child.stdin.end(),
      result: Effect.promise(() => exited).pipe(Effect.map((code): CliResult => ({ code, stdout, stderr })))
    } satisfies RunningCli
  })

/**
 * Runs the CLI to the end as a user does, in a fresh Node process whose environment holds
 * only PATH, the SDK's quiet switch and the given variables, with no input.
 */
export const runCli = (args: ReadonlyArray<string>, env: Readonly<Record<string, string>>) =>
  Effect.scoped(
    Effect.flatMap(spawnCli(args, env), (cli) => Effect.zipRight(Effect.sync(() => cli.endStdin()), cli.result))
  )

/** The variables that point the CLI's Spotify side at an emulator serving at `url`. */
export const emulatorEnv = (emulator: { readonly url: string }) => ({
  SPOTIFY_CLIENT_ID: "emulator-client",
  SPOTIFY_CLIENT_SECRET: "emulator-secret",
  SPOTIFY_REFRESH_TOKEN: "emulator-refresh-token",
  SPOTIFY_API_URL: emulator.url,
  SPOTIFY_ACCOUNTS_URL: emulator.url
})
