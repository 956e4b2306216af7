import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import { ExportRow } from "../../../src/domain/exports/ExportRow.js"
import { describeParseError } from "../../../src/domain/ParseIssues.js"
import { jsonLinesDecoder } from "../../../src/services/lake/LakeCodec.js"

const Point = Schema.Struct({ x: Schema.Number, label: Schema.NullOr(Schema.String), kind: Schema.Literal("a", "b") })
const points = jsonLinesDecoder(Point)
const key = "links/year=2025/month=01/day=01/1-2-0123456789abcdef.jsonl"

const failure = (body: string) => Either.flip(points(key, body)).pipe(Either.getOrThrow)

describe("jsonLinesDecoder", () => {
  it("reads every non-empty line, as Schema decodes it (fields Schema does not know are dropped)", () => {
    const body = `{"x":1,"label":null,"kind":"a"}\n\n{"kind":"b","x":2.5,"label":"é","extra":[1]}\n`
    expect(points(key, body)).toEqual(Either.right([{ x: 1, label: null, kind: "a" }, { x: 2.5, label: "é", kind: "b" }]))
    expect(points(key, "")).toEqual(Either.right([]))
  })

  it("names the object and the line (counting lines with content) and words the problem as Schema does", () => {
    const bad = `{"x":"1","label":null,"kind":"a"}`
    const error = failure(`{"x":1,"label":null,"kind":"a"}\n\n${bad}\n`)
    expect(error.reason).toBe("Invalid")
    expect(error.key).toBe(key)
    const expected = Either.flip(Schema.decodeUnknownEither(Schema.parseJson(Point))(bad)).pipe(Either.getOrThrow)
    expect(error.message).toBe(`${key} line 2 is not readable: ${describeParseError(expected)}`)
    expect(failure(`{"x":1,"label":null,"kind":"c"}`).message).toContain("line 1 is not readable: kind")
    expect(failure("{\"x\":1,").message).toMatch(/line 1 is not readable: .*JSON/)
  })

  it("reads export rows as the lake writes them, unchanged", () => {
    const row: ExportRow = {
      row_id: "0123456789abcdef", source: "extended", ended_at: "2025-01-01T10:00:00.000Z", ended_at_ms: 1735725600000,
      ended_at_precision: "s", ms_played: 1000, kind: "track", track_uri: "spotify:track:x", track_name: "Søng", artist_name: "A",
      album_name: null, episode_uri: null, episode_name: null, show_name: null, audiobook_uri: null, audiobook_title: null,
      audiobook_chapter_uri: null, audiobook_chapter_title: null, reason_start: null, reason_end: null, skipped: false, shuffle: null,
      offline: null, offline_at: null, incognito: true, platform: "ios", conn_country: "SE", source_file: "Streaming_History_Audio_2025.json"
    }
    expect(jsonLinesDecoder(ExportRow)(key, `${JSON.stringify(row)}\n`)).toEqual(Either.right([row]))
  })
})
