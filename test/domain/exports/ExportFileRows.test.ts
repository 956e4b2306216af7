import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import * as fc from "fast-check"
import { exportFileRows } from "../../../src/domain/exports/ExportFileRows.js"
import { accountReader, ExtendedRecord, extendedReader, AccountRecord } from "../../../src/domain/exports/ExportRecords.js"
import { isListen } from "../../../src/domain/exports/ExportRow.js"
import { offlineAt } from "../../../src/domain/exports/RowFromRecord.js"

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value))
const rowsOf = (name: string, format: Parameters<typeof exportFileRows>[1], records: ReadonlyArray<unknown>) =>
  Either.getOrThrow(exportFileRows(name, format, bytes(records)))

const extended = {
  ts: "2019-03-02T10:00:07Z",
  username: "someone",
  platform: "Android OS 4.2.2 API 17 (samsung, GT-I9195)",
  ms_played: 201000,
  conn_country: "SE",
  ip_addr_decrypted: "192.0.2.10",
  user_agent_decrypted: "unknown",
  master_metadata_track_name: "Tidal",
  master_metadata_album_artist_name: "Mara Lindqvist",
  master_metadata_album_album_name: "Salt",
  spotify_track_uri: "spotify:track:4iV5W9uYEdYUVa79Axb7Rh",
  episode_name: null,
  episode_show_name: null,
  spotify_episode_uri: null,
  reason_start: "trackdone",
  reason_end: "fwdbtn",
  shuffle: false,
  skipped: false,
  offline: false,
  offline_timestamp: 1551520800,
  incognito_mode: false
}

describe("export rows from records", () => {
  it("an extended record: whole-second ts stored with milliseconds, offline time from seconds, nothing personal kept", () => {
    const { records, rows } = rowsOf("endsong_0.json", "endsong", [extended])
    expect(records).toBe(1)
    expect(rows[0]).toMatchObject({
      source: "extended",
      ended_at: "2019-03-02T10:00:07.000Z",
      ended_at_ms: Date.UTC(2019, 2, 2, 10, 0, 7),
      ended_at_precision: "s",
      kind: "track",
      track_uri: extended.spotify_track_uri,
      artist_name: "Mara Lindqvist",
      skipped: false,
      offline_at: "2019-03-02T10:00:00.000Z",
      source_file: "endsong_0.json"
    })
    expect(rows[0]?.row_id).toMatch(/^[0-9a-f]{16}$/)
    expect(JSON.stringify(rows)).not.toMatch(/someone|192\.0\.2|user_agent|username|ip_addr/)
  })

  it("an account record: UTC minute, names only; a podcast file names show and episode", () => {
    const music = rowsOf("StreamingHistory_music_0.json", "account-music", [
      { endTime: "2024-08-02 22:44", artistName: "Mara Lindqvist", trackName: "Tidal", msPlayed: 201000 }
    ])
    expect(music.rows[0]).toMatchObject({
      source: "account",
      ended_at: "2024-08-02T22:44:00.000Z",
      ended_at_precision: "min",
      kind: "track",
      track_uri: null,
      track_name: "Tidal",
      artist_name: "Mara Lindqvist"
    })
    const podcast = rowsOf("StreamingHistory_podcast_0.json", "account-podcast", [
      { endTime: "2024-08-02 23:10", podcastName: "The Daily Groove", episodeName: "Episode 4", msPlayed: 900000 }
    ])
    expect(podcast.rows[0]).toMatchObject({ kind: "episode", show_name: "The Daily Groove", episode_name: "Episode 4", track_name: null })
  })

  it("a ts or endTime that is no real moment or outside 2006 to 2099 (Date.parse would roll it over), or an overflowing ms_played, refuses the file naming the record", () => {
    const problem = (name: string, format: Parameters<typeof exportFileRows>[1], records: ReadonlyArray<unknown>) => {
      const result = exportFileRows(name, format, bytes(records))
      return Either.isLeft(result) ? result.left.message : undefined
    }
    const extendedAt = (ts: string) => problem("Streaming_History_Audio_2024_0.json", "extended-audio", [extended, { ...extended, ts }])
    expect(extendedAt("2024-02-30T10:00:00Z")).toBe("Streaming_History_Audio_2024_0.json record 2: ts is \"2024-02-30T10:00:00Z\" (expected an ISO-8601 UTC time)")
    expect(extendedAt("2023-02-29T10:00:00Z")).toMatch(/record 2: ts is "2023-02-29T10:00:00Z"/)
    expect(extendedAt("2024-01-01T24:00:00Z")).toMatch(/record 2: ts is "2024-01-01T24:00:00Z"/)
    // Before 1970 an instant is negative, which no object name in the lake can hold; 9999 is a placeholder.
    expect(extendedAt("1969-07-20T20:17:00Z")).toBe("Streaming_History_Audio_2024_0.json record 2: ts is \"1969-07-20T20:17:00Z\", outside 2006 to 2099 (no real stream)")
    expect(extendedAt("9999-12-31T23:59:59Z")).toMatch(/outside 2006 to 2099/)
    expect(extendedAt("2006-01-01T00:00:00Z")).toBeUndefined()
    const account = { endTime: "2024-08-02 22:44", artistName: "Mara Lindqvist", trackName: "Tidal", msPlayed: 201000 }
    // 1e400 parses as Infinity: named as such, not as the null JSON would write it.
    const overflow = new TextEncoder().encode(`[${JSON.stringify(extended).replace('"ms_played":201000', '"ms_played":1e400')}]`)
    const refused = exportFileRows("Streaming_History_Audio_2024_0.json", "extended-audio", overflow)
    expect(Either.isLeft(refused) ? refused.left.message : undefined).toMatch(/record 1: ms_played is Infinity \(expected a whole number/)
    const accountAt = (endTime: string) => problem("StreamingHistory_music_0.json", "account-music", [{ ...account, endTime }])
    expect(accountAt("2024-02-30 10:00")).toBe("StreamingHistory_music_0.json record 1: endTime is \"2024-02-30 10:00\" (expected \"YYYY-MM-DD HH:MM\", UTC)")
    expect(accountAt("2005-12-31 23:59")).toMatch(/endTime is "2005-12-31 23:59", outside 2006 to 2099/)
  })

  it("a file that is not UTF-8 (Latin-1, UTF-16) is refused by name, never landed with its letters replaced", () => {
    const latin1 = Uint8Array.from([...new TextEncoder().encode('[{"endTime":"2024-08-02 22:44","artistName":"Caf'), 0xe9, ...new TextEncoder().encode('","trackName":"T","msPlayed":1000}]')])
    const utf16 = new Uint8Array(Buffer.from(`\ufeff${JSON.stringify([{ endTime: "2024-08-02 22:44", artistName: "A", trackName: "T", msPlayed: 1 }])}`, "utf16le"))
    for (const bytes of [latin1, utf16]) {
      const result = exportFileRows("StreamingHistory_music_0.json", "account-music", bytes)
      expect(Either.isLeft(result) ? result.left : undefined).toEqual({
        reason: "NotJson",
        message: "StreamingHistory_music_0.json is not UTF-8 text, as every file Spotify exports is (was it saved again in another encoding?)"
      })
    }
    // A UTF-8 byte order mark is fine.
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...bytes([{ endTime: "2024-08-02 22:44", artistName: "Café", trackName: "T", msPlayed: 1 }])])
    expect(Either.getOrThrow(exportFileRows("StreamingHistory_music_0.json", "account-music", withBom)).rows[0]?.artist_name).toBe("Café")
  })

  it("every field may be missing or null; kinds follow what a row holds", () => {
    const { rows } = rowsOf("Streaming_History_Audio_2020_0.json", "extended-audio", [
      { ts: "2020-01-01T00:00:00Z" },
      { ts: "2020-01-01T00:01:00Z", ms_played: null, spotify_episode_uri: "spotify:episode:x", episode_name: "E" },
      { ts: "2020-01-01T00:02:00Z", audiobook_uri: "spotify:show:y", audiobook_chapter_uri: "spotify:episode:z" }
    ])
    expect(rows.map((row) => row.kind)).toEqual(["unknown", "episode", "audiobook"])
    expect(rows[0]).toMatchObject({ ms_played: null, platform: null, skipped: null, incognito: null, offline_at: null })
    const video = rowsOf("Streaming_History_Video_2020.json", "extended-video", [{ ts: "2020-01-01T00:00:00Z", ms_played: 5 }])
    expect(video.rows[0]?.kind).toBe("video")
  })

  it("rows identical on identity are one row; rows differing only in ts are two", () => {
    const { records, rows } = rowsOf("endsong_0.json", "endsong", [extended, extended, { ...extended, ts: "2019-03-02T10:00:08Z" }])
    expect(records).toBe(3)
    expect(rows).toHaveLength(2)
  })

  it("offline_timestamp in seconds, milliseconds, floats, 0 and bogus values", () => {
    const ended = Date.UTC(2024, 0, 1, 12)
    expect(offlineAt(1704110000, ended)).toBe("2024-01-01T11:53:20.000Z")
    expect(offlineAt(1704110000123, ended)).toBe("2024-01-01T11:53:20.123Z")
    expect(offlineAt(1704110000.5, ended)).toBe("2024-01-01T11:53:20.500Z")
    expect(offlineAt(0, ended)).toBeNull()
    expect(offlineAt(1, ended)).toBeNull()
    expect(offlineAt(ended + 3 * 86_400_000, ended)).toBeNull()
  })

  it("counts a listen from 30 seconds of music; skipped and incognito rows count, episodes do not", () => {
    expect(isListen({ kind: "track", ms_played: 30_000 })).toBe(true)
    expect(isListen({ kind: "track", ms_played: 29_999 })).toBe(false)
    expect(isListen({ kind: "track", ms_played: null })).toBe(true)
    expect(isListen({ kind: "episode", ms_played: 900_000 })).toBe(false)
  })

  it("the compiled record readers accept exactly what their schemas accept", () => {
    const value = fc.oneof(fc.constant(undefined), fc.constant(null), fc.string(), fc.double(), fc.boolean(), fc.constant([]), fc.constant({}))
    const recordOf = (fields: ReadonlyArray<string>) =>
      fc.dictionary(fc.constantFrom(...fields, "extra"), value).map((entries) =>
        Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined)))
    const agree = (fields: ReadonlyArray<string>, reader: (u: unknown) => boolean, schema: (u: unknown) => boolean) =>
      fc.assert(fc.property(fc.oneof(recordOf(fields), value), (record) => reader(record) === schema(record)), { numRuns: 500, seed: 7 })
    agree(extendedReader.fields, extendedReader.is, Schema.is(ExtendedRecord))
    agree(accountReader.fields, accountReader.is, Schema.is(AccountRecord))
  })
})
