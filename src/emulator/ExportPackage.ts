import { strToU8, zipSync } from "fflate"
import type { Listen } from "./ExportListens.js"
import { Rng } from "./Rng.js"

export interface PackageOptions {
  /** `current`: Streaming_History_Audio_* and StreamingHistory_music_N; `older`: endsong_N and StreamingHistoryN. */
  readonly style: "current" | "older"
  readonly rowsPerFile: number
  /** When Spotify made the export: account data holds the year before it. */
  readonly madeAtMs: number
  readonly seed: number
}

export interface PackageFile {
  /** Its path inside the zip. */
  readonly path: string
  readonly content: Uint8Array
}

const extendedFolder = "Spotify Extended Streaming History"
const accountFolder = "Spotify Account Data"
const year = 365 * 24 * 60 * 60_000
const skipBugFrom = Date.UTC(2015, 3, 13)
const skipBugTo = Date.UTC(2022, 9, 16)
const platformsNormalisedFrom = Date.UTC(2023, 9, 19)
const millisecondOfflineFrom = Date.UTC(2023, 0, 1)
const longPlatforms = ["Android OS 9 API 28 (samsung, SM-G960F)", "Windows 10 (10.0.19041; x64)", "iOS 14.4 (iPhone12,1)"]
const shortPlatforms = ["android", "windows", "ios"]

const seconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z")
const minuteOf = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace("T", " ")

const extendedRecord = (rng: Rng, listen: Listen, style: PackageOptions["style"]) => {
  const { played } = listen
  const track = played._tag === "Track" ? played.track : undefined
  const episode = played._tag === "Episode" ? played : undefined
  const chapter = played._tag === "Chapter" ? played : undefined
  // The export's clock is not the API's: the same listen ends a second or two apart, in whole seconds.
  const endMs = listen.endMs + (listen.live ? rng.int(-2_000, 2_000) : 0)
  const startMs = endMs - listen.msPlayed
  const offlineTimestamp = startMs < millisecondOfflineFrom ? Math.floor(startMs / 1000) : startMs
  const ip = rng.chance(0.03) ? null : `192.0.2.${rng.int(1, 254)}`
  return {
    ts: seconds(endMs),
    ...(style === "older" ? { username: "listener" } : {}),
    platform: rng.chance(0.01) ? null : rng.pick(endMs < platformsNormalisedFrom ? longPlatforms : shortPlatforms),
    ms_played: listen.msPlayed,
    conn_country: rng.chance(0.02) ? null : "SE",
    ...(style === "older" ? { ip_addr_decrypted: ip, user_agent_decrypted: "unknown" } : { ip_addr: ip }),
    master_metadata_track_name: track?.name ?? null,
    master_metadata_album_artist_name: track?.artists[0]?.name ?? null,
    master_metadata_album_album_name: track?.album.name ?? null,
    spotify_track_uri: track === undefined || track.is_local === true ? null : track.uri,
    episode_name: episode?.name ?? null,
    episode_show_name: episode?.show ?? null,
    spotify_episode_uri: episode?.uri ?? null,
    ...(style === "older" ? {} : {
      audiobook_title: chapter?.title ?? null,
      audiobook_uri: chapter?.uri ?? null,
      audiobook_chapter_uri: chapter?.chapterUri ?? null,
      audiobook_chapter_title: chapter?.chapter ?? null
    }),
    reason_start: rng.pick(["trackdone", "clickrow", "playbtn", "fwdbtn"]),
    reason_end: listen.reasonEnd,
    shuffle: rng.chance(0.4),
    // Spotify's own bug: every row between these dates says not skipped.
    skipped: endMs >= skipBugFrom && endMs <= skipBugTo ? false : listen.reasonEnd === "fwdbtn",
    offline: listen.offline,
    offline_timestamp: style === "older" && !listen.offline ? 0 : offlineTimestamp,
    incognito_mode: listen.incognito
  }
}

const accountRecord = (listen: Listen, style: PackageOptions["style"]) => {
  const { played } = listen
  const endTime = minuteOf(listen.endMs)
  switch (played._tag) {
    case "Track":
      return { endTime, artistName: played.track.artists[0]?.name ?? "Unknown Artist", trackName: played.track.name, msPlayed: listen.msPlayed }
    case "Episode":
      return style === "older"
        ? { endTime, artistName: played.show, trackName: played.name, msPlayed: listen.msPlayed }
        : { endTime, podcastName: played.show, episodeName: played.name, msPlayed: listen.msPlayed }
    case "Unavailable":
      return { endTime, artistName: "Unknown Artist", trackName: "Unknown Track", msPlayed: listen.msPlayed }
    case "Chapter":
      return undefined
  }
}

const chunks = <A>(items: ReadonlyArray<A>, size: number): ReadonlyArray<ReadonlyArray<A>> =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size))

const yearsOf = (records: ReadonlyArray<{ readonly ts: string }>) => {
  const first = records[0]?.ts.slice(0, 4) ?? "2000"
  const last = records[records.length - 1]?.ts.slice(0, 4) ?? first
  return first === last ? first : `${first}-${last}`
}

// Extended files hold one record per line; account files are indented, as Spotify writes them.
const compactArray = (records: ReadonlyArray<unknown>) => strToU8(`[\n${records.map((r) => JSON.stringify(r)).join(",\n")}\n]\n`)
const indented = (value: unknown) => strToU8(JSON.stringify(value, null, 2))

const readMePdf = strToU8("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

/** The files Spotify would send for these listens: both packages, in the chosen generation. */
export const exportPackage = (listens: ReadonlyArray<Listen>, options: PackageOptions): ReadonlyArray<PackageFile> => {
  const rng = Rng.seeded(options.seed * 97 + 3)
  const audio = listens.filter((l) => !(l.played._tag === "Episode" && l.played.video)).map((l) => extendedRecord(rng, l, options.style))
  const video = listens.filter((l) => l.played._tag === "Episode" && l.played.video).map((l) => extendedRecord(rng, l, options.style))
  // Real exports repeat some rows verbatim.
  const withRepeats = audio.flatMap((record, i) => i % 97 === 5 ? [record, record] : [record])
  const lastYear = listens.filter((l) => l.endMs > options.madeAtMs - year && l.endMs <= options.madeAtMs)
  const account = lastYear.flatMap((l) => accountRecord(l, options.style) ?? [])
  const podcasts = account.filter((record) => "podcastName" in record)
  const music = account.filter((record) => !("podcastName" in record))
  const older = options.style === "older"
  const extended = chunks(withRepeats, options.rowsPerFile).map((records, n): PackageFile => ({
    path: `${extendedFolder}/${older ? `endsong_${n}.json` : `Streaming_History_Audio_${yearsOf(records)}_${n}.json`}`,
    content: compactArray(records)
  }))
  return [
    ...extended,
    {
      path: `${extendedFolder}/${older ? "endvideo.json" : `Streaming_History_Video_${yearsOf(video)}.json`}`,
      content: compactArray(video)
    },
    { path: `${extendedFolder}/ReadMeFirst_ExtendedStreamingHistory.pdf`, content: readMePdf },
    ...chunks(music, options.rowsPerFile).map((records, n): PackageFile => ({
      path: `${accountFolder}/${older ? `StreamingHistory${n}.json` : `StreamingHistory_music_${n}.json`}`,
      content: indented(records)
    })),
    ...(older ? [] : [{ path: `${accountFolder}/StreamingHistory_podcast_0.json`, content: indented(podcasts) }]),
    { path: `${accountFolder}/Userdata.json`, content: indented({ username: "listener", country: "SE", creationTime: "2014-06-01" }) },
    { path: `${accountFolder}/Playlist1.json`, content: indented({ playlists: [] }) }
  ]
}

/** The files as the zip Spotify mails. */
export const zipPackage = (files: ReadonlyArray<PackageFile>, level: 0 | 1 | 6 = 6): Uint8Array =>
  zipSync(Object.fromEntries(files.map((file) => [file.path, [file.content, { level }]])), { mtime: Date.UTC(2026, 0, 1) })
