import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Option, Schema } from "effect"
import { ExportRow } from "../../../src/domain/exports/ExportRow.js"
import { describeParseError } from "../../../src/domain/ParseIssues.js"
import { jsonLinesDecoder, readStored } from "../../../src/services/lake/LakeCodec.js"
import * as MemoryStorage from "../../../src/services/storage/MemoryStorage.js"
import { ObjectStorage } from "../../../src/services/storage/ObjectStorage.js"

const Point = Schema.Struct({ x: Schema.Number, label: Schema.NullOr(Schema.String), kind: Schema.Literal("a", "b") })
const points = jsonLinesDecoder(Point)

describe("jsonLinesDecoder", () => {
  it("reads every non-empty line, as Schema decodes it (fields Schema does not know are dropped)", () => {
    const body = `{"x":1,"label":null,"kind":"a"}\n\n{"kind":"b","x":2.5,"label":"é","extra":[1]}\n`
    expect(points(body)).toEqual({ values: [{ x: 1, label: null, kind: "a" }, { x: 2.5, label: "é", kind: "b" }], unreadable: [] })
    expect(points("")).toEqual({ values: [], unreadable: [] })
  })

  it("leaves out a line that does not decode, numbered as an editor numbers it, with the problem as Schema words it", () => {
    const bad = `{"x":"1","label":null,"kind":"a"}`
    const read = points(`{"x":1,"label":null,"kind":"a"}\n\n${bad}\n{"x":3,"label":null,"kind":"b"}\n{"x":1,`)
    expect(read.values).toEqual([{ x: 1, label: null, kind: "a" }, { x: 3, label: null, kind: "b" }])
    const expected = Either.flip(Schema.decodeUnknownEither(Schema.parseJson(Point))(bad)).pipe(Either.getOrThrow)
    expect(read.unreadable).toEqual([{ line: 3, problem: describeParseError(expected) }, { line: 5, problem: expect.stringMatching(/JSON/) }])
    expect(points(`{"x":1,"label":null,"kind":"c"}`).unreadable).toEqual([{ line: 1, problem: expect.stringContaining("kind") }])
  })

  it("reads export rows as the lake writes them, unchanged", () => {
    const row: ExportRow = {
      row_id: "0123456789abcdef", source: "extended", ended_at: "2025-01-01T10:00:00.000Z", ended_at_ms: 1735725600000,
      ended_at_precision: "s", ms_played: 1000, kind: "track", track_uri: "spotify:track:x", track_name: "Søng", artist_name: "A",
      album_name: null, episode_uri: null, episode_name: null, show_name: null, audiobook_uri: null, audiobook_title: null,
      audiobook_chapter_uri: null, audiobook_chapter_title: null, reason_start: null, reason_end: null, skipped: false, shuffle: null,
      offline: null, offline_at: null, incognito: true, platform: "ios", conn_country: "SE", source_file: "Streaming_History_Audio_2025.json"
    }
    expect(jsonLinesDecoder(ExportRow)(`${JSON.stringify(row)}\n`)).toEqual({ values: [row], unreadable: [] })
  })
})

describe("readStored", () => {
  it.effect("reads a stored object as its schema: none when absent, an Invalid error naming the key when empty or bad", () =>
    Effect.gen(function*() {
      const storage = yield* ObjectStorage
      yield* storage.put("state/good.json", `{"x":1,"label":"a","kind":"b"}`)
      yield* storage.put("state/empty.json", "")
      yield* storage.put("state/bad.json", `{"x":1,"label":"a","kind":"z"}`)
      expect(yield* readStored(storage, Point, "state/good.json")).toEqual(Option.some({ x: 1, label: "a", kind: "b" }))
      expect(yield* readStored(storage, Point, "state/missing.json")).toEqual(Option.none())
      for (const key of ["state/empty.json", "state/bad.json"]) {
        const error = yield* Effect.flip(readStored(storage, Point, key))
        expect({ reason: error.reason, key: error.key }).toEqual({ reason: "Invalid", key })
        expect(error.message).toMatch(new RegExp(`^${key} is not readable: `))
      }
    }).pipe(Effect.provide(MemoryStorage.layer)))
})
