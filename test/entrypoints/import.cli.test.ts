import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, Schema } from "effect"
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs"
import { ImportSummary } from "../../src/domain/exports/ImportSummary.js"
import * as Emulator from "../../src/emulator/Emulator.js"
import { ObjectStorage } from "../../src/services/storage/ObjectStorage.js"
import * as S3Storage from "../../src/services/storage/S3Storage.js"
import { scratch, writeZip } from "../support/ImportKit.js"
import { makeS3rver, s3rverClient, s3rverEnv } from "../support/S3rverServer.js"
import { emulatorEnv, runCli } from "../support/SpawnCli.js"

const decodeSummary = Schema.decodeUnknownSync(Schema.parseJson(ImportSummary))

describe("import (a real process)", () => {
  // Four fresh processes: generous for a loaded machine.
  it.scoped("imports the emulator's export of the demo timeline: every listen once, the numbers in one JSON line; again, nothing", () =>
    Effect.gen(function*() {
      const dir = yield* scratch
      const zip = `${dir}/my_spotify_data.zip`
      const exported = yield* runCli(["emulator", "--export", zip, "--seed", "7", "--plays", "114"], {})
      expect(exported.code).toBe(0)
      const env = { LAKE_URL: `${dir}/lake` }
      const first = yield* runCli(["import", zip, "--json"], env)
      expect(first.stderr).toBe("")
      expect(first.code).toBe(0)
      expect(first.stdout.trim().split("\n")).toHaveLength(1)
      const summary = decodeSummary(first.stdout)
      expect(summary.imported + summary.duplicates).toBe(summary.rows)
      expect(summary.imported).toBeGreaterThan(600)
      expect(summary.files.map((file) => [file.name, file.format, file.imported])).toEqual([
        ["Streaming_History_Audio_2021-2026_0.json", "extended-audio", expect.any(Number)],
        ["Streaming_History_Video_2026.json", "extended-video", 2],
        ["StreamingHistory_music_0.json", "account-music", expect.any(Number)],
        ["StreamingHistory_podcast_0.json", "account-podcast", expect.any(Number)]
      ])
      expect(summary.covers).toEqual({ from: expect.stringMatching(/^2021-/), to: expect.stringMatching(/^2026-01-/) })

      const again = yield* runCli(["import", zip], env)
      expect(again.stdout).toContain(`${summary.rows} rows in 4 files: 0 landed, ${summary.rows} already in the lake.`)
      expect(again.stdout).toMatch(/StreamingHistory_music_0\.json\s+account-music.*\(imported before\)/)
      expect(again.stdout).toContain("Not a listening history, left alone: ReadMeFirst_ExtendedStreamingHistory.pdf")
      expect(again.stdout).toMatch(/found live too:\s+0/)

      // Imports but no sync yet: a lake whose live capture has not started, not "no lake".
      const status = yield* runCli(["status"], env)
      expect(status.stdout).not.toContain("No lake")
      expect(status.stdout.split("\n").slice(0, 2)).toEqual([
        `lake:       ${dir}/lake`,
        "watching:   not yet: live capture has not started (no sync has run). Run `npm start -- sync` to start it."
      ])
      expect(status.stdout).toMatch(/history:\s+from 2021-/)
      expect(status.stdout).toMatch(/extended 2021-\d\d-\d\d \.\. 2026-01-\d\d \(2 files/)
      expect(status.stdout).toMatch(/open gaps:\s+none/)

      // A damaged import record: status names it among the damaged objects and shows the rest.
      const [record] = readdirSync(`${dir}/lake/state/imports`).sort()
      writeFileSync(`${dir}/lake/state/imports/${record}`, "")
      const damaged = yield* runCli(["status", "--json"], env)
      expect(damaged.code).toBe(0)
      const report = JSON.parse(damaged.stdout)
      expect(report.damaged).toEqual([{ key: `state/imports/${record}`, problem: expect.stringContaining("is not readable") }])
      expect(report.coverage.sources.length).toBeGreaterThan(0)
      expect(report.coverage).not.toHaveProperty("damaged")
    }), 90_000)

  it.scoped("after live capture, the import finds every captured play in the export and nothing only live", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ seed: 13 })
      yield* emulator.listen(40)
      const dir = yield* scratch
      const env = { ...emulatorEnv(emulator), LAKE_URL: `${dir}/lake` }
      expect((yield* runCli(["sync", "--json"], env)).code).toBe(0)
      const zip = yield* writeZip(dir, yield* emulator.exportFiles({ olderListens: 30 }))
      const summary = decodeSummary((yield* runCli(["import", zip, "--json", "--tolerance", "10"], env)).stdout)
      expect(summary).toMatchObject({ matched_live: 40, live_only: 0, tolerance_ms: 10_000 })
    }))

  it.scoped("imports into an S3 lake (s3rver) through the same storage", () =>
    Effect.gen(function*() {
      const dir = yield* scratch
      const emulator = yield* Emulator.make({ seed: 14 })
      yield* emulator.listen(20)
      const zip = yield* writeZip(dir, yield* emulator.exportFiles({ olderListens: 15 }))
      const s3 = yield* makeS3rver()
      const result = yield* runCli(["import", zip, "--json"], s3rverEnv(s3, "me/spotify"))
      expect(result.stderr).toBe("")
      const summary = decodeSummary(result.stdout)
      const storage = yield* Effect.provide(
        ObjectStorage,
        S3Storage.layer({ bucket: s3.bucket, prefix: "me/spotify", client: s3rverClient(s3.endpoint) })
      )
      const keys = yield* storage.list("exports/")
      const bodies = yield* Effect.forEach(keys, (key) => storage.get(key))
      const rows = bodies.flatMap((o) => Option.match(o, { onNone: () => [], onSome: (v) => v.body.split("\n").filter((l) => l !== "") }))
      expect(rows).toHaveLength(summary.imported)
      expect(yield* storage.list("state/imports/")).toHaveLength(summary.files.length)
    }))

  it.scoped("a path that is not there is one sentence and exit code 1", () =>
    Effect.gen(function*() {
      const dir = yield* scratch
      const result = yield* runCli(["import", `${dir}/nothing.zip`], { LAKE_URL: `${dir}/lake` })
      expect(result.code).toBe(1)
      expect(result.stderr.trim()).toBe(`${dir}/nothing.zip does not exist`)
    }))

  it.scoped("names that carry terminal escapes are printed with them escaped, in the breakdown and in an error", () =>
    Effect.gen(function*() {
      const dir = yield* scratch
      const hostile = "notes\u001b]0;owned\u0007\u001b[2J.txt"
      mkdirSync(`${dir}/export`)
      writeFileSync(`${dir}/export/${hostile}`, "hello")
      const listed = yield* runCli(["import", `${dir}/export`], { LAKE_URL: `${dir}/lake` })
      expect(listed.code).toBe(0)
      expect(listed.stdout).toContain("Not a listening history, left alone: notes\\u001b]0;owned\\u0007\\u001b[2J.txt")
      const missing = yield* runCli(["import", `${dir}/${hostile}.zip`], { LAKE_URL: `${dir}/lake` })
      expect(missing.code).toBe(1)
      expect(missing.stderr.trim()).toBe(`${dir}/notes\\u001b]0;owned\\u0007\\u001b[2J.txt.zip does not exist`)
      for (const output of [listed.stdout, missing.stderr]) expect(output).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/)
    }), 60_000)

  it.scoped("a mistyped option, a --tolerance out of range, an empty path: one sentence each, exit code 2, nothing written", () =>
    Effect.gen(function*() {
      const dir = yield* scratch
      const zip = `${dir}/my_spotify_data.zip`
      const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
        [[zip, "--jsn"], "Unknown option --jsn for import: its options are --json and --tolerance (a file whose name starts with - is given as ./--jsn)."],
        [[zip, "--tolerence=5"], "Unknown option --tolerence for import: its options are --json and --tolerance (a file whose name starts with - is given as ./--tolerence=5)."],
        [["--verbose", zip], `Unknown option --verbose for import: its options are --json and --tolerance (a file whose name starts with - is given as ./--verbose).`],
        [[zip, "--tolerance", "-5"], "--tolerance must be a whole number of seconds from 0 to 3600."],
        [[zip, "--tolerance", "99999"], "--tolerance must be a whole number of seconds from 0 to 3600."],
        [[""], "An empty path was given to import: name a zip, a folder or a .json file."]
      ]
      const results = yield* Effect.forEach(cases, ([args]) => runCli(["import", ...args], { LAKE_URL: `${dir}/lake` }), { concurrency: 3 })
      expect(results.map((result) => [result.code, result.stderr.trim()])).toEqual(cases.map(([, sentence]) => [2, sentence]))
      expect(existsSync(`${dir}/lake`)).toBe(false)
    }), 60_000)
})
