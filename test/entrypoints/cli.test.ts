import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { RunSummary } from "../../src/domain/RunSummary.js"
import * as Emulator from "../../src/emulator/Emulator.js"
import { ObjectStorage } from "../../src/services/storage/ObjectStorage.js"
import { emulatorEnv, runCli, spawnCli } from "../support/SpawnCli.js"
import { makeS3rver, s3rverClient, s3rverEnv } from "../support/S3rverServer.js"
import { tempDir } from "../support/TempDir.js"
import * as S3Storage from "../../src/services/storage/S3Storage.js"

const decodeSummary = Schema.decodeUnknownSync(Schema.parseJson(RunSummary))

const filesUnder = (dir: string): Array<string> =>
  readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => statSync(join(dir, f)).isFile())

const linesIn = (dir: string) =>
  filesUnder(dir).flatMap((f) => readFileSync(join(dir, f), "utf8").split("\n").filter((l) => l !== ""))

describe("CLI (a real process, configured by environment variables only)", () => {
  it.scoped("stopped by Ctrl-C, a command exits with 130, not 0 (so `login && sync` does not go on)", () =>
    Effect.gen(function*() {
      const emulator = yield* spawnCli(["emulator", "--port", "0"], {})
      yield* emulator.stdoutMatching(/Ctrl-C stops it/)
      yield* emulator.signal("SIGINT")
      expect((yield* emulator.result).code).toBe(130)
    }), 30_000)

  it.scoped("sync --json lands the plays in a folder lake; a second run adds nothing", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ seed: 11 })
      const listened = yield* emulator.listen(23)
      const lake = yield* tempDir("cli-lake-")
      const env = { ...emulatorEnv(emulator), LAKE_URL: lake }

      const first = yield* runCli(["sync", "--json"], env)
      expect(first.stderr).toBe("")
      expect(first.code).toBe(0)
      const lines = first.stdout.trim().split("\n")
      expect(lines).toHaveLength(1)
      const summary = decodeSummary(lines[0])
      expect(summary).toMatchObject({ outcome: "synced", fetched: 23, new: 23, duplicates_skipped: 0, gap: null })
      expect(summary.cursor).toBe(new Date(listened[22]!.playedAtMs).toISOString())
      expect(linesIn(join(lake, "plays"))).toHaveLength(23)
      expect(statSync(join(lake, "state/token.json")).mode & 0o777).toBe(0o600)

      yield* emulator.listen(2)
      const second = decodeSummary(yield* runCli(["sync", "--json"], env).pipe(Effect.map((r) => r.stdout)))
      expect(second).toMatchObject({ new: 2, duplicates_skipped: 23 })
      expect(linesIn(join(lake, "plays"))).toHaveLength(25)

      const status = yield* runCli(["status"], env)
      expect(status.code).toBe(0)
      expect(status.stdout).toContain(`cursor:     ${second.cursor}`)
      expect(status.stdout).toContain("gaps:       none")

      // A failure recorded in the lake quotes what a server said: shown with its terminal escapes escaped.
      writeFileSync(join(lake, "state/last-failure.json"), JSON.stringify({
        at: new Date(Date.now() + 60_000).toISOString(),
        error: "SpotifyClientError",
        message: "Spotify answered 502: \u001b]0;owned\u0007\u001b[2Jgone"
      }))
      const failed = yield* runCli(["status"], env)
      expect(failed.stdout).toContain("Spotify answered 502: \\u001b]0;owned\\u0007\\u001b[2Jgone")
      expect(failed.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/)
    }))

  it.scoped("sync --json lands the plays in an S3 lake on s3rver, pointed at by AWS_ENDPOINT_URL_S3", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ seed: 12 })
      yield* emulator.listen(9)
      const s3 = yield* makeS3rver()
      const result = yield* runCli(["sync", "--json"], { ...emulatorEnv(emulator), ...s3rverEnv(s3, "me/spotify") })
      expect(result.stderr).toBe("")
      expect(decodeSummary(result.stdout)).toMatchObject({ outcome: "synced", new: 9 })

      const storage = yield* Effect.provide(
        ObjectStorage,
        S3Storage.layer({ bucket: s3.bucket, prefix: "me/spotify", client: s3rverClient(s3.endpoint) })
      )
      const keys = yield* storage.list("plays/")
      expect(keys.length).toBeGreaterThan(0)
      const bodies = yield* Effect.forEach(keys, (key) => storage.get(key))
      const playLines = bodies.flatMap((o) => o._tag === "Some" ? o.value.body.split("\n").filter((l) => l !== "") : [])
      expect(playLines).toHaveLength(9)
      expect(yield* storage.list("state/sync.json")).toEqual(["state/sync.json"])
    }))

  it.scoped("the emulator command serves on its own, and a sync pointed at it by the variables it prints lands its plays", () =>
    Effect.gen(function*() {
      const served = yield* spawnCli(["emulator", "--port", "0", "--plays", "7"], {})
      const url = (yield* served.stdoutMatching(/serving at (http:\/\/127\.0\.0\.1:\d+) with 7 plays/))[1]!
      const lake = yield* tempDir("cli-lake-")
      const result = yield* runCli(["sync", "--json"], {
        SPOTIFY_API_URL: url,
        SPOTIFY_ACCOUNTS_URL: url,
        SPOTIFY_CLIENT_ID: "emulator-client",
        SPOTIFY_CLIENT_SECRET: "emulator-secret",
        SPOTIFY_REFRESH_TOKEN: "emulator-refresh-token",
        LAKE_URL: lake
      })
      expect(result.code).toBe(0)
      expect(decodeSummary(result.stdout)).toMatchObject({ outcome: "synced", new: 7 })
      expect(linesIn(join(lake, "plays"))).toHaveLength(7)
    }))

  it.scoped("a missing setting is one sentence naming the variable, exit code 1, no stack trace", () =>
    Effect.gen(function*() {
      const lake = yield* tempDir("cli-lake-")
      const result = yield* runCli(["sync"], { LAKE_URL: lake })
      expect(result.code).toBe(1)
      expect(result.stdout).toBe("")
      expect(result.stderr.trim().split("\n")).toEqual([
        "Missing or wrong setting: SPOTIFY_CLIENT_ID is not set. See the README's configuration table."
      ])
      expect(readdirSync(lake)).toEqual([])
    }))

  it.effect("a wrong LAKE_URL is named the same way", () =>
    Effect.gen(function*() {
      const result = yield* runCli(["status"], { LAKE_URL: "ftp://example/lake" })
      expect(result.code).toBe(1)
      expect(result.stderr).toContain("LAKE_URL must be a folder path or s3://bucket/prefix")
      expect(result.stderr).not.toMatch(/\n\s+at /)
    }))

  it.scoped("a LAKE_URL naming a file, not a folder, is a wrong setting for every command, and the file is left as it was", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir("cli-file-lake-")
      const file = join(dir, "notes.txt")
      writeFileSync(file, "my notes")
      const sentence = `Missing or wrong setting: LAKE_URL is not valid (${file} is a file, not a folder). See the README's configuration table.`
      for (const command of [["status"], ["sync"], ["import", file], ["models"], ["query", "SELECT 1"]]) {
        const result = yield* runCli(command, { LAKE_URL: file, SPOTIFY_CLIENT_ID: "id" })
        expect([result.code, result.stderr.trim()], command[0]).toEqual([1, sentence])
      }
      expect(readFileSync(file, "utf8")).toBe("my notes")
    }), 60_000)

  it.scoped("npm run demo shows the pipeline end to end, gap included, and names the lake folder", () =>
    Effect.gen(function*() {
      // The demo makes its lake and export in the system's temp folder on purpose: here, one removed after the test.
      const tmp = yield* tempDir("cli-demo-")
      const result = yield* runCli(["demo"], { TMPDIR: tmp })
      expect(result.code).toBe(0)
      const folder = /Lake folder:\s+(\S+)/.exec(result.stdout)?.[1]
      expect(folder?.startsWith(`${tmp}/spotify-pipeline-demo-`)).toBe(true)
      expect(result.stdout).toContain("GAP: Spotify no longer shows any play captured before (more than 50 since the last sync)")
      const landed = /plays\/\s+(\d+) plays/.exec(result.stdout)?.[1]
      expect(Number(landed)).toBe(linesIn(join(folder!, "plays")).length)
      expect(filesUnder(join(folder!, "state/gaps"))).toHaveLength(1)
      expect(result.stdout).toMatch(/Weeks later Spotify mails your privacy exports[^]*gaps closed:\s+1/)
    }))
})
