import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { createServer } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Emulator from "../../src/emulator/Emulator.js"
import { emulatorEnv, runCli } from "../support/SpawnCli.js"

/*
 * What a new user meets in the first hour, in a real process: each wrong setting is one
 * sentence naming what is wrong, and the output people read is plain where it is piped.
 */

/** A temp folder for one test, removed by it. */
const scratch = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(join(tmpdir(), "cli-first-hour-"))),
  (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
)

/** A loopback port held by another program for the test's duration. */
const takenPort = Effect.acquireRelease(
  Effect.async<ReturnType<typeof createServer>>((resume) => {
    const server = createServer()
    server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
  }),
  (server) => Effect.async<void>((resume) => void server.close(() => resume(Effect.void)))
).pipe(Effect.map((server) => {
  const address = server.address()
  return typeof address === "object" && address !== null ? address.port : 0
}))

const oneSentence = (stderr: string) => {
  const lines = stderr.trim().split("\n")
  expect(lines).toHaveLength(1)
  expect(stderr).not.toMatch(/\n\s+at /)
  return lines[0]
}

describe("errors that name what is wrong", () => {
  it.scoped("the emulator on a port another program holds says so in one sentence", () =>
    Effect.gen(function*() {
      const port = yield* takenPort
      const result = yield* runCli(["emulator", "--port", String(port)], {})
      expect(result.code).toBe(1)
      expect(oneSentence(result.stderr)).toBe(
        `Port ${port} on 127.0.0.1 is in use by another program: stop it, or pass --port with another port (--port 0 picks a free one).`
      )
    }))

  it.scoped("LAKE_URL set but empty means the default lake, never the working directory", () =>
    Effect.gen(function*() {
      const result = yield* runCli(["status"], { LAKE_URL: "" })
      expect(result.code).toBe(0)
      expect(result.stdout).toContain("No lake at ./data yet")
    }))

  it.scoped("a wrong S3 endpoint and a missing region name their variables", () =>
    Effect.gen(function*() {
      const endpoint = yield* runCli(["status"], { LAKE_URL: "s3://some-bucket/lake", AWS_ENDPOINT_URL_S3: "not-a-url" })
      expect(endpoint.code).toBe(1)
      expect(oneSentence(endpoint.stderr)).toContain("AWS_ENDPOINT_URL_S3 is not valid")
      const region = yield* runCli(["status"], {
        LAKE_URL: "s3://some-bucket/lake",
        AWS_ACCESS_KEY_ID: "id",
        AWS_SECRET_ACCESS_KEY: "secret",
        AWS_EC2_METADATA_DISABLED: "true"
      })
      expect(region.code).toBe(1)
      expect(oneSentence(region.stderr)).toContain("No AWS region is set for the S3 lake: set AWS_REGION")
    }))

  it.scoped("SPOTIFY_API_URL must be http(s), and says so at once", () =>
    Effect.gen(function*() {
      const dir = yield* scratch
      const result = yield* runCli(["sync"], { LAKE_URL: dir, SPOTIFY_CLIENT_ID: "id", SPOTIFY_API_URL: "ftp://example.com" })
      expect(result.code).toBe(1)
      expect(oneSentence(result.stderr)).toBe(
        "Missing or wrong setting: SPOTIFY_API_URL is not valid (expected an http:// or https:// address). See the README's configuration table."
      )
    }))

  it.scoped("with no account connected, the sync says only that, and how to connect one", () =>
    Effect.gen(function*() {
      const dir = yield* scratch
      const result = yield* runCli(["sync"], { LAKE_URL: dir, SPOTIFY_CLIENT_ID: "id" })
      expect(result.code).toBe(1)
      expect(oneSentence(result.stderr)).toBe(
        "No Spotify account is connected: run `npm start -- login` (or set SPOTIFY_REFRESH_TOKEN to a refresh token issued to your app)."
      )
    }))

  it.scoped("a damaged token file: sync says how to mend it; status names it and shows the rest", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      yield* emulator.listen(3)
      const dir = yield* scratch
      const env = { ...emulatorEnv(emulator), LAKE_URL: dir }
      expect((yield* runCli(["sync"], env)).code).toBe(0)
      writeFileSync(join(dir, "state/token.json"), "{\"refresh_token\":")
      const sync = yield* runCli(["sync"], env)
      expect(sync.code).toBe(1)
      expect(oneSentence(sync.stderr)).toContain(`The stored Spotify token in ${dir}/state/token.json is corrupt (it is not valid JSON)`)
      const status = yield* runCli(["status"], env)
      expect(status.code).toBe(0)
      expect(status.stdout).toContain("token:      not readable (named under DAMAGED); run `npm start -- login` to store a new one")
      expect(status.stdout).toContain(`DAMAGED:    state/token.json: The stored Spotify token in ${dir}/state/token.json is corrupt`)
      expect(status.stdout).toMatch(/^cursor:\s+2026-/m)

      // Logged in, not synced yet: the damaged token is named there too.
      const fresh = yield* scratch
      mkdirSync(join(fresh, "state"))
      writeFileSync(join(fresh, "state/token.json"), "{\"refresh_token\":")
      const before = yield* runCli(["status"], { LAKE_URL: fresh })
      expect(before.code).toBe(0)
      expect(before.stdout).toContain("token:      not readable (named under DAMAGED)")
      expect(before.stdout).toContain(`DAMAGED:    state/token.json: The stored Spotify token in ${fresh}/state/token.json is corrupt`)
    }), 30_000)

  it.scoped("status where no lake is yet says so, as the expected first-run state, and creates nothing", () =>
    Effect.gen(function*() {
      const dir = yield* scratch
      const lake = join(dir, "not-yet")
      const result = yield* runCli(["status"], { LAKE_URL: lake })
      expect(result.code).toBe(0)
      expect(result.stdout.split("\n")[0]).toBe(
        `No lake at ${lake} yet: nothing has been synced there, as before a first sync. Run \`npm start -- sync\` to start it ` +
          "(or check LAKE_URL if your lake is elsewhere)."
      )
      expect(existsSync(lake)).toBe(false)
    }))
})

describe("output people read", () => {
  it.effect("--help piped: no colour codes, a usage line with the commands, no wizard", () =>
    Effect.gen(function*() {
      const result = yield* runCli(["--help"], {})
      expect(result.code).toBe(0)
      expect(result.stdout).not.toMatch(/\u001b\[/)
      expect(result.stdout).toContain("$ spotify-pipeline <command> [options]")
      expect(result.stdout).toMatch(/- sync \[--json\]/)
      expect(result.stdout).not.toContain("--wizard")
      const sync = yield* runCli(["sync", "--help"], { NO_COLOR: "1" })
      expect(sync.stdout).toContain("$ spotify-pipeline sync [--json]")
      const wizard = yield* runCli(["--wizard"], {})
      expect(wizard.code).toBe(2)
      expect(oneSentence(wizard.stderr)).toBe("spotify-pipeline has no wizard: `npm start -- --help` lists the commands.")
    }))

  it.scoped("a plain sync says where the plays went; on a Node.js older than 22 one line says so, once", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ seed: 3 })
      yield* emulator.listen(4)
      const dir = yield* scratch
      const result = yield* runCli(["sync"], { ...emulatorEnv(emulator), LAKE_URL: dir })
      expect(result.code).toBe(0)
      expect(result.stdout).toContain(`synced: 4 new plays of 4 fetched into ${dir} (0 already there)`)
      expect(result.stderr).toBe("")
      expect(result.nodeNotice).toBe(Number(process.versions.node.split(".")[0]) < 22)
      expect(readdirSync(dir)).toContain("plays")
    }))
})
