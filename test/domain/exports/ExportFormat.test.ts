import { describe, expect, it } from "@effect/vitest"
import { formatOfName, importOrder, sourceOf } from "../../../src/domain/exports/ExportFormat.js"

describe("export formats by name", () => {
  it.each([
    ["Spotify Extended Streaming History/Streaming_History_Audio_2014-2016_0.json", "extended-audio"],
    ["Streaming_History_Audio_2023_8.json", "extended-audio"],
    ["Streaming_History_Audio_2024-2025_12.json", "extended-audio"],
    ["Streaming_History_Video_2019-2024.json", "extended-video"],
    ["MyData/endsong_0.json", "endsong"],
    ["endsong_11.json", "endsong"],
    ["endvideo.json", "endvideo"],
    ["Spotify Account Data/StreamingHistory_music_0.json", "account-music"],
    ["StreamingHistory_podcast_2.json", "account-podcast"],
    ["StreamingHistory0.json", "account-mixed"],
    ["C:\\Users\\me\\Downloads\\StreamingHistory3.json", "account-mixed"]
  ])("%s is %s", (name, format) => {
    expect(formatOfName(name)).toBe(format)
  })

  it.each([
    "ReadMeFirst_ExtendedStreamingHistory.pdf",
    "Userdata.json",
    "Playlist1.json",
    "StreamingHistory_music_0.json.bak",
    "Streaming_History_Audio.json",
    "SearchQueries.json"
  ])("%s is not a listening history", (name) => {
    expect(formatOfName(name)).toBeUndefined()
  })

  it("imports extended files before account files, so account rows meet the rows that outrank them", () => {
    const files = [
      { name: "StreamingHistory_music_0.json", format: "account-music" as const },
      { name: "Streaming_History_Audio_2024_1.json", format: "extended-audio" as const },
      { name: "Streaming_History_Audio_2024_0.json", format: "extended-audio" as const }
    ]
    expect([...files].sort(importOrder).map((f) => f.name)).toEqual([
      "Streaming_History_Audio_2024_0.json",
      "Streaming_History_Audio_2024_1.json",
      "StreamingHistory_music_0.json"
    ])
    expect(files.map((f) => sourceOf(f.format))).toEqual(["account", "extended", "extended"])
  })
})
