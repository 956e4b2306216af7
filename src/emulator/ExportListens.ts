import type { Catalog } from "./Catalog.js"
import { Rng } from "./Rng.js"
import type * as Timeline from "./Timeline.js"
import type { TrackObject } from "./Wire.js"

/** What a stream played: a track of the catalog, a podcast episode, an audiobook chapter, or removed content. */
export type Played =
  | { readonly _tag: "Track"; readonly track: TrackObject }
  | { readonly _tag: "Episode"; readonly show: string; readonly name: string; readonly uri: string; readonly video: boolean }
  | { readonly _tag: "Chapter"; readonly title: string; readonly chapter: string; readonly uri: string; readonly chapterUri: string }
  | { readonly _tag: "Unavailable" }

/** One stream as Spotify's export records it. */
export interface Listen {
  /** When it ended: for plays the API showed, their played_at. */
  readonly endMs: number
  readonly msPlayed: number
  readonly played: Played
  /** The API showed it (recently-played). */
  readonly live: boolean
  readonly incognito: boolean
  readonly offline: boolean
  readonly reasonEnd: string
}

export interface ListenOptions {
  /** Listens before the timeline began (at `untilMs`), spread evenly back to `historyFromMs`. */
  readonly olderListens: number
  readonly historyFromMs: number
  readonly untilMs: number
  readonly seed: number
}

const minute = 60_000
const shows = ["The Daily Groove", "Deep Work Radio", "History Unboxed"] as const

const episode = (rng: Rng, video = false): Played => {
  const id = rng.id()
  return { _tag: "Episode", show: rng.pick(shows), name: `Episode ${rng.int(1, 400)}`, uri: `spotify:episode:${id}`, video }
}

const spotifyTracks = (catalog: Catalog) => catalog.tracks.filter((track) => track.is_local !== true)

/** What the listener streamed, oldest first: the timeline the API showed, and what it never shows. */
export const exportListens = (catalog: Catalog, plays: ReadonlyArray<Timeline.Play>, options: ListenOptions): ReadonlyArray<Listen> => {
  const rng = Rng.seeded(options.seed * 31 + 5)
  const tracks = spotifyTracks(catalog)
  const listens: Array<Listen> = []
  const startMs = options.untilMs
  const step = options.olderListens > 0 ? Math.floor((startMs - 60 * minute - options.historyFromMs) / options.olderListens) : 0

  for (let i = 0; i < options.olderListens; i++) {
    const endMs = options.historyFromMs + i * step + rng.int(0, Math.max(0, step - 1000))
    const roll = rng.next()
    const played: Played = roll < 0.04 ? episode(rng) : roll < 0.045 ? { _tag: "Unavailable" } : { _tag: "Track", track: rng.pick(tracks) }
    const full = played._tag === "Track" ? played.track.duration_ms : rng.int(600_000, 3_600_000)
    const short = rng.chance(0.06)
    listens.push({
      endMs,
      msPlayed: short ? rng.int(1_000, 29_000) : rng.chance(0.1) ? rng.int(30_000, full) : full,
      played,
      live: false,
      incognito: rng.chance(0.01),
      offline: rng.chance(0.05),
      reasonEnd: short ? "fwdbtn" : "trackdone"
    })
  }
  if (options.olderListens > 0) {
    listens.push({ endMs: startMs - 3 * 24 * 60 * minute, msPlayed: 1_200_000, played: {
      _tag: "Chapter", title: "The Long Way Home", chapter: "Chapter 3", uri: `spotify:show:${rng.id()}`, chapterUri: `spotify:episode:${rng.id()}`
    }, live: false, incognito: false, offline: false, reasonEnd: "endplay" })
    listens.push({
      endMs: startMs - 4 * 24 * 60 * minute,
      msPlayed: 187_000,
      played: { _tag: "Unavailable" },
      live: false,
      incognito: false,
      offline: false,
      reasonEnd: "trackdone"
    })
    listens.push({
      endMs: startMs - 2 * 24 * 60 * minute,
      msPlayed: 900_000,
      played: episode(rng, true),
      live: false,
      incognito: false,
      offline: false,
      reasonEnd: "endplay"
    })
  }

  plays.forEach((play, index) => {
    const track = catalog.tracks[play.trackIndex]
    if (track === undefined) throw new Error(`play refers to missing track ${play.trackIndex}`)
    const previous = plays[index - 1]
    const room = previous === undefined ? track.duration_ms : play.playedAtMs - previous.playedAtMs - 150
    const msPlayed = Math.max(1_000, Math.min(track.duration_ms, room))
    listens.push({
      endMs: play.playedAtMs,
      msPlayed,
      played: { _tag: "Track", track },
      live: true,
      incognito: false,
      offline: false,
      reasonEnd: msPlayed < track.duration_ms ? "fwdbtn" : "trackdone"
    })
    // In long pauses the listener does what the API never shows: a private session, a podcast.
    if (previous !== undefined && play.playedAtMs - previous.playedAtMs - msPlayed > 40 * minute) {
      listens.push({
        endMs: previous.playedAtMs + 20 * minute,
        msPlayed: rng.int(120_000, 240_000),
        played: { _tag: "Track", track: rng.pick(tracks) },
        live: false,
        incognito: true,
        offline: false,
        reasonEnd: "trackdone"
      })
      listens.push({
        endMs: previous.playedAtMs + 35 * minute,
        msPlayed: rng.int(300_000, 900_000),
        played: episode(rng, rng.chance(0.3)),
        live: false,
        incognito: false,
        offline: false,
        reasonEnd: "endplay"
      })
    }
  })
  return listens.sort((a, b) => a.endMs - b.endMs)
}
