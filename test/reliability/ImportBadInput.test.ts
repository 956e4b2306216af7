import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { readdirSync, readFileSync } from "node:fs"
import { strToU8, zipSync } from "fflate"
import { Lake } from "../../src/services/lake/Lake.js"
import * as MemoryStorage from "../../src/services/storage/MemoryStorage.js"
import { failureOf } from "../support/FailureOf.js"
import { filesOf, importWorld, listener, livePlays, runImport, scratch, snapshot, writeBytes, writeZip } from "../support/ImportKit.js"

const corpus = new URL("../fixtures/bad-exports/", import.meta.url)
const cases = readdirSync(corpus, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name)
const fileIn = (name: string) => readdirSync(new URL(`${name}/`, corpus))[0]!
const bytesOf = (name: string) => readFileSync(new URL(`${name}/${fileIn(name)}`, corpus))

/** What each refusal must say. */
const explains: Readonly<Record<string, RegExp>> = {
  "ms-played-text": /^Streaming_History_Audio_2019_3\.json record 3: ms_played is "abc" \(expected number or null\)/,
  "truncated": /^Streaming_History_Audio_2019_4\.json is truncated: its JSON ends early/,
  "not-json": /^Streaming_History_Audio_2020_0\.json is not valid JSON \(Unexpected token '<'/,
  "not-an-array": /^endsong_0\.json is not a JSON array of records/,
  "wrong-shape": /^Streaming_History_Audio_2024_0\.json is named like an extended streaming history file, but record 1 has endTime instead of ts/,
  "bad-ts": /^Streaming_History_Audio_2019_5\.json record 2: ts is "02\/03\/2019 10:00" \(expected an ISO-8601 UTC time\)/,
  "missing-ts": /^endsong_1\.json record 1: ts is missing/,
  "record-not-object": /^Streaming_History_Audio_2019_6\.json record 2: is 42, not an object/,
  "account-bad-endtime": /^StreamingHistory_music_0\.json record 2: endTime is "2024-08-02T22:49:00Z" \(expected "YYYY-MM-DD HH:MM", UTC\)/,
  "negative-ms-played": /^StreamingHistory_music_1\.json record 1: msPlayed is -5 \(expected a whole number of milliseconds\)/,
  "boolean-as-text": /^Streaming_History_Audio_2019_7\.json record 4: shuffle is "false" \(expected boolean or null\)/
}


/** A lake holding an earlier import and live plays: a refusal must leave every object of it as it was. */
const seeded = Effect.gen(function*() {
  const who = listener(31, 30)
  yield* Effect.flatMap(Lake, (lake) => lake.writePlays(livePlays(who)))
  const dir = yield* scratch
  yield* runImport([yield* writeZip(dir, filesOf(who, { olderListens: 20 }))])
  return dir
})

describe("bad export files (test/fixtures/bad-exports)", () => {
  it("lists an explanation for every case", () => {
    expect(cases.sort()).toEqual(Object.keys(explains).sort())
  })

  for (const name of cases) {
    it.scoped(`${name}: refused with the file and record named; nothing in the lake changes`, () =>
      Effect.gen(function*() {
        const dir = yield* seeded
        const before = yield* snapshot
        const file = yield* writeBytes(`${dir}/bad/${fileIn(name)}`, bytesOf(name))
        const error = failureOf(yield* Effect.exit(runImport([file])))
        expect(error).toMatchObject({ _tag: "ExportRefused" })
        expect(error?.message).toMatch(explains[name]!)
        expect(error?.message).toMatch(/Nothing of this file was written\.$/)
        expect(yield* snapshot).toEqual(before)
      }).pipe(Effect.provide(importWorld(MemoryStorage.layer))))
  }

  it.scoped("a bad record deep in a big file is named by its number", () =>
    Effect.gen(function*() {
      const dir = yield* scratch
      const record = (i: number) => ({ ts: new Date(Date.UTC(2019, 2, 1) + i * 200_000).toISOString().replace(/\.\d+Z$/, "Z"), ms_played: 200_000 })
      const records: Array<unknown> = Array.from({ length: 5_000 }, (_, i) => record(i))
      records[4_210] = { ...record(4_210), ms_played: "abc" }
      const file = yield* writeBytes(`${dir}/Streaming_History_Audio_2019_3.json`, strToU8(JSON.stringify(records)))
      const error = failureOf(yield* Effect.exit(runImport([file])))
      expect(error?.message).toMatch(/^Streaming_History_Audio_2019_3\.json record 4,211: ms_played is "abc"/)
      expect(yield* snapshot).toEqual([])
    }).pipe(Effect.provide(importWorld(MemoryStorage.layer))))

  it.scoped("a damaged or truncated zip says so and changes nothing", () =>
    Effect.gen(function*() {
      const dir = yield* seeded
      const before = yield* snapshot
      const good = zipSync({ "Spotify Extended Streaming History/Streaming_History_Audio_2019_3.json": strToU8("[]".padEnd(5000, " ")) })
      const truncated = yield* writeBytes(`${dir}/truncated.zip`, good.slice(0, good.length - 40))
      const garbage = yield* writeBytes(`${dir}/garbage.zip`, strToU8("this is not a zip at all"))
      for (const zip of [truncated, garbage]) {
        const error = failureOf(yield* Effect.exit(runImport([zip])))
        expect(error).toMatchObject({ _tag: "ExportFilesError", reason: "CorruptZip" })
        expect(error?.message).toContain(`${zip} cannot be read: it is not a zip or it is damaged`)
      }
      expect(yield* snapshot).toEqual(before)
    }).pipe(Effect.provide(importWorld(MemoryStorage.layer))))

  it.scoped("limits keep a zip bomb out: too many entries, an entry too large", () =>
    Effect.gen(function*() {
      const dir = yield* scratch
      const many = yield* writeBytes(`${dir}/many.zip`, zipSync(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}.txt`, strToU8("x")]))))
      const big = yield* writeBytes(`${dir}/big.zip`, zipSync({ "Streaming_History_Audio_2019_0.json": new Uint8Array(200_000).fill(32) }))
      const limits = { maxEntries: 20, maxFileBytes: 100_000, maxTotalBytes: 1_000_000 }
      const tooMany = failureOf(yield* Effect.exit(runImport([many]).pipe(Effect.provide(importWorld(MemoryStorage.layer, limits)))))
      expect(tooMany).toMatchObject({ reason: "TooManyEntries" })
      expect(tooMany?.message).toMatch(/holds 30 entries, more than the 20/)
      // A folder holding more files than an export (a home folder given by mistake), however deep they are.
      const folder = `${dir}/home`
      for (let i = 0; i < 30; i++) yield* writeBytes(`${folder}/${i % 3 === 0 ? "" : `d${i % 4}/sub/`}f${i}.txt`, strToU8("x"))
      const tooDeep = failureOf(yield* Effect.exit(runImport([folder]).pipe(Effect.provide(importWorld(MemoryStorage.layer, limits)))))
      expect(tooDeep).toMatchObject({ reason: "TooManyEntries" })
      expect(tooDeep?.message).toBe(
        `${folder} holds more than 20 files, more than an export can have: give the export's zip or the folder it was unzipped into`
      )
      const tooBig = failureOf(yield* Effect.exit(runImport([big]).pipe(Effect.provide(importWorld(MemoryStorage.layer, limits)))))
      expect(tooBig).toMatchObject({ reason: "TooLarge" })
      expect(tooBig?.message).toMatch(/Streaming_History_Audio_2019_0\.json is 200,000 bytes, more than the 100,000 bytes/)
    }))
})
