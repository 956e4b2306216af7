import { Effect } from "effect"
import { execFile } from "node:child_process"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("../..", import.meta.url))

export interface CliResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/**
 * Runs the CLI as a user does (`npm start -- ...` is `tsx src/entrypoints/cli.ts ...`), in a
 * fresh Node process whose environment holds only PATH and the given variables.
 */
export const runCli = (args: ReadonlyArray<string>, env: Readonly<Record<string, string>>) =>
  Effect.async<CliResult>((resume) => {
    const child = execFile(
      process.execPath,
      ["--import", "tsx", "src/entrypoints/cli.ts", ...args],
      { cwd: root, env: { PATH: process.env.PATH ?? "", ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1
        resume(Effect.succeed({ code, stdout, stderr }))
      }
    )
    return Effect.sync(() => child.kill())
  })
