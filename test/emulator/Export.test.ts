import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { strFromU8 } from "fflate"
import * as Emulator from "../../src/emulator/Emulator.js"

type Record = { readonly [key: string]: unknown }

const parse = (content: Uint8Array): ReadonlyArray<Record> => JSON.parse(strFromU8(content))

describe("Emulator export", () => {
  it.scoped("holds every play the API showed (same track, ts within seconds of played_at), with the real exports' quirks", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ seed: 17 })
      const shown = yield* emulator.listen(300)
      const files = yield* emulator.exportFiles()
      const byName = new Map(files.map((file) => [file.path.split("/").pop()!, file.content]))
      expect([...byName.keys()]).toEqual([
        expect.stringMatching(/^Streaming_History_Audio_20\d\d-2026_0\.json$/),
        "Streaming_History_Video_2026.json",
        "ReadMeFirst_ExtendedStreamingHistory.pdf",
        "StreamingHistory_music_0.json",
        "StreamingHistory_podcast_0.json",
        "Userdata.json",
        "Playlist1.json"
      ])
      const audio = parse(files[0]!.content)
      for (const play of shown) {
        const local = play.trackUri.startsWith("spotify:local:")
        const near = audio.filter((row) =>
          Math.abs(Date.parse(String(row.ts)) - play.playedAtMs) <= 3_000 &&
          (local ? row.spotify_track_uri === null && row.master_metadata_track_name !== null : row.spotify_track_uri === play.trackUri)
        )
        expect(near.length, `play at ${play.playedAtMs}`).toBeGreaterThanOrEqual(1)
      }
      expect(audio.every((row) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(String(row.ts)))).toBe(true)
      const inBugYears = audio.filter((row) => String(row.ts) >= "2015-04-13" && String(row.ts) <= "2022-10-16")
      expect(inBugYears.length).toBeGreaterThan(50)
      expect(inBugYears.every((row) => row.skipped === false)).toBe(true)
      expect(audio.some((row) => String(row.ts) > "2022-10-17" && row.skipped === true)).toBe(true)
      const offline = (row: Record) => Number(row.offline_timestamp)
      expect(audio.some((row) => String(row.ts) < "2023" && offline(row) < 1e11)).toBe(true)
      expect(audio.some((row) => String(row.ts) > "2023" && offline(row) > 1e11)).toBe(true)
      expect(audio.some((row) => row.incognito_mode === true && String(row.ts) >= "2026-01-05")).toBe(true)
      expect(audio.some((row) => row.spotify_episode_uri !== null)).toBe(true)
      expect(audio.some((row) => row.audiobook_uri !== null)).toBe(true)
      expect(audio.some((row) => row.master_metadata_track_name === null && row.spotify_episode_uri === null && row.audiobook_uri === null)).toBe(true)
      expect(audio.some((row) => row.ms_played !== null && Number(row.ms_played) < 30_000)).toBe(true)
      expect(new Set(audio.map((row) => JSON.stringify(row))).size).toBeLessThan(audio.length)
      expect(audio.some((row) => row.platform === null || row.conn_country === null || row.ip_addr === null)).toBe(true)
      expect(parse(byName.get("Streaming_History_Video_2026.json")!).length).toBeGreaterThan(0)
      expect(strFromU8(byName.get("ReadMeFirst_ExtendedStreamingHistory.pdf")!)).toMatch(/^%PDF-/)
      const music = parse(byName.get("StreamingHistory_music_0.json")!)
      expect(music.every((row) => /^\d{4}-\d\d-\d\d \d\d:\d\d$/.test(String(row.endTime)))).toBe(true)
      expect(Object.keys(music[0]!)).toEqual(["endTime", "artistName", "trackName", "msPlayed"])
      expect(Object.keys(parse(byName.get("StreamingHistory_podcast_0.json")!)[0]!)).toEqual(["endTime", "podcastName", "episodeName", "msPlayed"])
    }))

  it.scoped("the older generation: endsong with user name and decrypted address fields, endvideo, mixed StreamingHistoryN", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ seed: 18 })
      yield* emulator.listen(50)
      const files = yield* emulator.exportFiles({ style: "older", rowsPerFile: 200 })
      const names = files.map((file) => file.path.split("/").pop())
      expect(names.filter((name) => name?.startsWith("endsong_"))).toEqual(["endsong_0.json", "endsong_1.json", "endsong_2.json"])
      expect(names).toContain("endvideo.json")
      expect(names).toContain("StreamingHistory0.json")
      const endsong = parse(files[0]!.content)
      expect(Object.keys(endsong[0]!)).toEqual(expect.arrayContaining(["username", "ip_addr_decrypted", "user_agent_decrypted"]))
      expect(Object.keys(endsong[0]!)).not.toContain("audiobook_uri")
      expect(endsong.some((row) => row.offline_timestamp === 0)).toBe(true)
    }))
})
