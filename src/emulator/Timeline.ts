import * as DateTime from "effect/DateTime"
import type { Catalog } from "./Catalog.js"
import { Rng } from "./Rng.js"
import type { ContextObject } from "./Wire.js"

export interface Play {
  readonly playedAtMs: number
  readonly trackIndex: number
  readonly wholeSecond: boolean
  readonly context: ContextObject | null
}

/** What the listener is playing from: an album in order, or a shuffled pool. */
interface Session {
  readonly context: ContextObject | null
  readonly pool: ReadonlyArray<number>
  readonly sequential: boolean
  readonly position: number
  readonly remaining: number
}

export interface Timeline {
  /** Oldest first. */
  readonly plays: ReadonlyArray<Play>
  readonly rngState: number
  readonly session: Session | null
}

export interface Shares {
  readonly wholeSecondShare: number
  readonly localFileShare: number
}

/** Spotify keeps only this many recent plays. */
export const windowSize = 50

const minute = 60_000
const hour = 60 * minute

export const empty = (seed: number): Timeline => ({ plays: [], rngState: Rng.seeded(seed).state, session: null })

const spotifyTrackIndices = (catalog: Catalog): ReadonlyArray<number> =>
  Array.from({ length: catalog.tracks.length - catalog.localTrackIndices.length }, (_, index) => index)

const newSession = (rng: Rng, catalog: Catalog): Session => {
  const kind = rng.next()
  if (kind < 0.35) {
    const album = rng.pick(catalog.albums)
    const length = album.trackIndices.length
    return {
      context: album.context,
      pool: album.trackIndices,
      sequential: true,
      position: rng.chance(0.7) ? 0 : rng.int(0, length - 1),
      remaining: rng.int(Math.min(3, length), length)
    }
  }
  if (kind < 0.7) {
    const playlist = rng.pick(catalog.playlists)
    return { context: playlist.context, pool: playlist.trackIndices, sequential: false, position: 0, remaining: rng.int(4, 16) }
  }
  const artists = catalog.artists.filter((artist) => artist.trackIndices.length > 0)
  if (kind < 0.8 && artists.length > 0) {
    const artist = rng.pick(artists)
    return { context: artist.context, pool: artist.trackIndices, sequential: false, position: 0, remaining: rng.int(2, 8) }
  }
  return { context: null, pool: spotifyTrackIndices(catalog), sequential: false, position: 0, remaining: rng.int(1, 6) }
}

const durationOf = (catalog: Catalog, trackIndex: number): number => {
  const track = catalog.tracks[trackIndex]
  if (track === undefined) throw new Error(`no track at index ${trackIndex}`)
  return track.duration_ms
}

const nextPlay = (
  rng: Rng,
  catalog: Catalog,
  current: Session | null,
  previous: Play | undefined,
  shares: Shares,
  startMs: number
): readonly [Play, Session] => {
  let session = current === null || current.remaining <= 0 ? newSession(rng, catalog) : current
  let trackIndex: number
  let context: ContextObject | null
  if (rng.chance(shares.localFileShare)) {
    trackIndex = rng.pick(catalog.localTrackIndices)
    context = null
  } else if (previous !== undefined && rng.chance(0.04)) {
    trackIndex = previous.trackIndex
    context = previous.context
  } else {
    trackIndex = session.sequential
      ? session.pool[session.position % session.pool.length] ?? rng.pick(session.pool)
      : rng.pick(session.pool)
    context = session.context
    session = { ...session, position: session.position + 1, remaining: session.remaining - 1 }
  }
  const duration = durationOf(catalog, trackIndex)
  const listened = rng.chance(0.12) ? Math.min(duration, rng.int(30_000, Math.max(30_000, Math.floor(duration * 0.6)))) : duration
  const gap = rng.int(150, 4_000)
  const pause = rng.chance(0.02) ? rng.int(2 * hour, 12 * hour) : rng.chance(0.07) ? rng.int(minute, 45 * minute) : 0
  const endMs = previous === undefined ? startMs : previous.playedAtMs + gap + pause + listened
  const floored = endMs - (endMs % 1000)
  const wholeSecond = rng.chance(shares.wholeSecondShare) &&
    (previous === undefined ? floored === endMs : floored > previous.playedAtMs)
  return [{ playedAtMs: wholeSecond ? floored : endMs, trackIndex, wholeSecond, context }, session]
}

/** Appends `count` plays after the latest one; each ends about one track length after the previous. */
export const listen = (
  timeline: Timeline,
  catalog: Catalog,
  count: number,
  shares: Shares,
  startMs: number
): readonly [ReadonlyArray<Play>, Timeline] => {
  const rng = Rng.resume(timeline.rngState)
  const added: Array<Play> = []
  let session = timeline.session
  let previous = timeline.plays[timeline.plays.length - 1]
  for (let i = 0; i < count; i++) {
    const [play, next] = nextPlay(rng, catalog, session, previous, shares, startMs)
    added.push(play)
    session = next
    previous = play
  }
  return [added, { plays: [...timeline.plays, ...added], rngState: rng.state, session }]
}

/** Inserts a play anywhere in time, e.g. an offline play that syncs hours late. */
export const insert = (
  timeline: Timeline,
  catalog: Catalog,
  input: { readonly playedAtMs: number; readonly trackIndex?: number }
): readonly [Play, Timeline] => {
  const rng = Rng.resume(timeline.rngState)
  const trackIndex = input.trackIndex ?? rng.pick(spotifyTrackIndices(catalog))
  if (catalog.tracks[trackIndex] === undefined) throw new Error(`no track at index ${trackIndex}`)
  const play: Play = { playedAtMs: input.playedAtMs, trackIndex, wholeSecond: false, context: null }
  const at = timeline.plays.findIndex((existing) => existing.playedAtMs > play.playedAtMs)
  const plays = at === -1
    ? [...timeline.plays, play]
    : [...timeline.plays.slice(0, at), play, ...timeline.plays.slice(at)]
  return [play, { ...timeline, plays, rngState: rng.state }]
}

/** The plays Spotify still knows about, newest first. */
export const window = (timeline: Timeline): ReadonlyArray<Play> => timeline.plays.slice(-windowSize).reverse()

export const playedAt = (play: Play): string => {
  const iso = DateTime.formatIso(DateTime.unsafeMake(play.playedAtMs))
  return play.wholeSecond ? iso.replace(/\.\d{3}Z$/, "Z") : iso
}
