import { TrackId, TrackUri } from "../../src/domain/Ids.js"
import { EpochMs } from "../../src/domain/Instant.js"
import { createHash } from "node:crypto"
import { mkdirSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { albumName, artistName, trackName } from "../../src/emulator/Names.js"
import { Rng } from "../../src/emulator/Rng.js"
import type { Play } from "../../src/domain/Play.js"
import { partition } from "../../src/services/lake/LakeLayout.js"
import { type ExportRow, type Link, linkToExtended, linkToPlay } from "./HandLake.js"

/*
 * A lake of years of listening, written as the sync and the import would write it: an extended
 * export for everything until a few days before it was made, account data for its last year, live
 * capture for the last `liveDays` (one gap in it, closed by the export), and the import's links.
 */

export interface GeneratedLakeOptions {
  readonly listens: number
  readonly days: number
  /** The last day of listening, UTC (`YYYY-MM-DD`). */
  readonly lastDay: string
  readonly liveDays: number
  readonly seed: number
}

interface Track {
  readonly uri: string
  readonly name: string
  readonly artist: string
  readonly album: string
  readonly durationMs: number
}

const dayMs = 86_400_000
const shows = ["The Daily Signal", "Slow Science", "Football Weekly", "History Hour", "Deep Focus Radio"]

const catalog = (rng: Rng): ReadonlyArray<Track> =>
  Array.from({ length: 300 }, () => {
    const artist = artistName(rng)
    return Array.from({ length: 2 }, () => {
      const album = albumName(rng)
      return Array.from({ length: 8 }, (): Track => ({
        uri: `spotify:track:${rng.id()}`,
        name: trackName(rng),
        artist,
        album,
        durationMs: rng.int(140_000, 320_000)
      }))
    }).flat()
  }).flat()

/** A favourite-heavy pick: low indices far more often than high ones. */
const zipf = (rng: Rng, size: number) => Math.min(size - 1, Math.floor(size * rng.next() ** 2.5))

const hash = (text: string) => createHash("sha256").update(text).digest("hex")

const put = (root: string, folder: string, rows: ReadonlyArray<object>, at: (row: never) => number) => {
  if (rows.length === 0) return
  const body = rows.map((row) => `${JSON.stringify(row)}\n`).join("")
  const instants = rows.map((row) => at(row as never))
  const key = `${folder}${Math.min(...instants)}-${Math.max(...instants)}-${hash(body).slice(0, 16)}.jsonl`
  mkdirSync(dirname(join(root, key)), { recursive: true })
  writeFileSync(join(root, key), body)
}

const exportRowOf = (source: "extended" | "account", endedMs: number, t: Track, msPlayed: number, episode: boolean): ExportRow => {
  const at = source === "account" ? Math.floor(endedMs / 60_000) * 60_000 : Math.floor(endedMs / 1000) * 1000
  const identity = source === "extended" && !episode ? t.uri : `${t.artist.toLowerCase()}\u001f${t.name.toLowerCase()}`
  const extended = source === "extended"
  const track = !episode
  return {
    row_id: hash(`${source}|${at}|${identity}|${msPlayed}`).slice(0, 16),
    source,
    ended_at: new Date(at).toISOString(),
    ended_at_ms: at,
    ended_at_precision: extended ? "s" : "min",
    ms_played: msPlayed,
    kind: track ? "track" : "episode",
    track_uri: track && extended ? t.uri : null,
    track_name: track ? t.name : null,
    artist_name: track ? t.artist : null,
    album_name: track && extended ? t.album : null,
    episode_uri: track ? null : `spotify:episode:${t.uri.slice(-22)}`,
    episode_name: track ? null : t.name,
    show_name: track ? null : t.artist,
    audiobook_uri: null,
    audiobook_title: null,
    audiobook_chapter_uri: null,
    audiobook_chapter_title: null,
    reason_start: extended ? "trackdone" : null,
    reason_end: extended ? (msPlayed < t.durationMs ? "fwdbtn" : "trackdone") : null,
    skipped: extended ? msPlayed < t.durationMs : null,
    shuffle: extended ? false : null,
    offline: extended ? false : null,
    offline_at: null,
    incognito: extended ? false : null,
    platform: extended ? "linux" : null,
    conn_country: extended ? "SE" : null,
    source_file: extended ? "Streaming_History_Audio_2025.json" : "StreamingHistory_music_0.json"
  }
}

/** Writes the lake under `root`; returns how many listens it holds and the gap it recorded. */
export const writeGeneratedLake = (root: string, options: GeneratedLakeOptions) => {
  const rng = Rng.seeded(options.seed)
  const tracks = catalog(rng)
  const end = Date.parse(`${options.lastDay}T00:00:00Z`) + dayMs
  const start = end - options.days * dayMs
  const exportEnd = end - 3 * dayMs
  const liveStart = end - options.liveDays * dayMs
  const accountStart = exportEnd - 365 * dayMs
  const gapFrom = liveStart + Math.floor(options.liveDays / 2) * dayMs + 8 * 3_600_000
  const gapTo = gapFrom + 12 * 3_600_000
  let written = 0
  for (let day = start; day < end; day += dayMs) {
    const remainingDays = (end - day) / dayMs
    const target = Math.round(((options.listens - written) / remainingDays) * (rng.chance(0.08) ? 0 : 0.4 + rng.next() * 1.2))
    const plays: Array<Play> = []
    const extended: Array<ExportRow> = []
    const account: Array<ExportRow> = []
    const links: Array<Link> = []
    let clock = day + rng.int(5, 8) * 3_600_000
    for (let i = 0; i < target && clock < day + dayMs - 400_000; i++) {
      if (i > 0 && rng.chance(0.03)) clock += rng.int(31, 120) * 60_000
      const episode = rng.chance(0.02)
      const track = tracks[zipf(rng, tracks.length)] ?? tracks[0]!
      const t = episode ? { ...track, artist: rng.pick(shows), durationMs: 1_800_000 } : track
      const msPlayed = rng.chance(0.15) ? rng.int(3_000, 60_000) : t.durationMs
      const endedMs = clock + msPlayed + rng.int(0, 999)
      clock = endedMs + rng.int(0, 5_000)
      if (endedMs >= day + dayMs) break
      const ext = endedMs < exportEnd ? exportRowOf("extended", endedMs + rng.int(0, 3_000), t, msPlayed, episode) : undefined
      if (ext !== undefined) extended.push(ext)
      if (endedMs >= accountStart && endedMs < exportEnd) {
        const acc = exportRowOf("account", endedMs, t, msPlayed, episode)
        account.push(acc)
        if (ext !== undefined) links.push(linkToExtended(acc, ext))
      }
      const live = !episode && endedMs >= liveStart && (endedMs < gapFrom || endedMs > gapTo) && msPlayed >= 30_000
      // A listen in neither (after the export, and one the live API would not show) never reaches the lake.
      if (ext !== undefined || live) written++
      if (live) {
        const play: Play = {
          played_at: new Date(endedMs).toISOString(), played_at_ms: EpochMs.make(endedMs), track_id: TrackId.make(t.uri.slice(14)), track_uri: TrackUri.make(t.uri),
          track_name: t.name, duration_ms: t.durationMs, artist_ids: [hash(t.artist).slice(0, 22)], artist_names: [t.artist],
          album_id: hash(t.album).slice(0, 22), album_name: t.album, context_type: null, context_uri: null, is_local: false, source: "api"
        }
        plays.push(play)
        if (ext !== undefined) links.push(linkToPlay(ext, play))
      }
    }
    const folder = partition(day)
    put(root, `plays/${folder}/`, plays, (p: Play) => p.played_at_ms)
    put(root, `exports/source=extended/${folder}/`, extended, (r: ExportRow) => r.ended_at_ms)
    put(root, `exports/source=account/${folder}/`, account, (r: ExportRow) => r.ended_at_ms)
    put(root, `links/${folder}/`, links, (l: Link) => l.at_ms)
  }
  const gap = { from: new Date(gapFrom).toISOString(), to: new Date(gapTo).toISOString(), from_ms: gapFrom, to_ms: gapTo }
  const files = [
    { key: `state/gaps/${gapFrom}-${gapTo}.json`, body: JSON.stringify({ ...gap, detected_at: gap.to }) },
    {
      key: `state/gap-closures/${gapFrom}-${gapTo}-${hash("export").slice(0, 16)}.json`,
      body: JSON.stringify({ gap, file: "Streaming_History_Audio_2025.json", sha256: hash("export"), listens: 0, closed_at: gap.to })
    },
    {
      key: "state/sync.json",
      body: JSON.stringify({ format: 1, cursor_ms: end - 1, cursor: null, watching_since_ms: liveStart, last_run: null })
    }
  ]
  for (const { body, key } of files) {
    mkdirSync(dirname(join(root, key)), { recursive: true })
    writeFileSync(join(root, key), body)
  }
  return { listens: written, gap }
}
