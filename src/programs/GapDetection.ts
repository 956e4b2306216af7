import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { Gap } from "../domain/Gap.js"
import { type EpochMs, epochMsOf } from "../domain/Instant.js"
import type { Play } from "../domain/Play.js"
import type { PlayHistoryItem } from "../domain/RecentlyPlayedPage.js"
import type { Lake } from "../services/lake/Lake.js"
import { pageLimit } from "./PageLimit.js"

/**
 * How far a play's `played_at` may lie past the moment it was fetched (clocks differ a little).
 * A play beyond it was stamped by a wrong clock: it is kept aside, never trusted as "newest".
 */
export const futureToleranceMs = 15 * 60 * 1000

/** The page's plays that can be true, and those stamped in the future. */
export const splitByClock = (items: ReadonlyArray<PlayHistoryItem>, fetchedAtMs: number) => ({
  plausible: items.filter((item) => item.played_at <= fetchedAtMs + futureToleranceMs),
  future: items.filter((item) => item.played_at > fetchedAtMs + futureToleranceMs)
})

/**
 * Spotify shows only the 50 most recent plays. The page reaches back to what was captured
 * before when it still shows a play the lake holds: then nothing in between can be missing, in
 * whatever order or number Spotify lists them. When it shows none, plays may have been lost
 * since the newest play the lake holds; a page of exactly 50 new plays is one of those, since
 * one page cannot tell 50 from 51. Before the first play landed, a full page must reach back to
 * when watching began (for a first run, now: so it never reports a gap).
 *
 * What "captured before" means comes from the lake itself, never from a cursor a single wrong
 * timestamp could move: a play stamped in the future is not in the lake (it is kept aside),
 * and a lost state file loses nothing the lake still holds.
 */
export const detectGap = Effect.fn("GapDetection.detectGap")(function*(
  lake: Lake["Type"],
  plays: ReadonlyArray<Play>,
  known: ReadonlySet<string>,
  watchingSince: EpochMs,
  fetchedAtMs: number,
  pageSize: number
) {
  if (plays.length === 0 || known.size > 0) return Option.none<Gap>()
  const instants = plays.map((play) => play.played_at_ms)
  const gap = (from: EpochMs, to: number) => Option.some<Gap>({ from, to: epochMsOf(to), detected_at: epochMsOf(fetchedAtMs) })
  const newest = yield* lake.newestPlay(fetchedAtMs + futureToleranceMs)
  if (Option.isSome(newest)) {
    // A late play listed now with an older played_at does not bound the window: the new ones do.
    const newer = instants.filter((ms) => ms > newest.value)
    return gap(newest.value, newer.length > 0 ? Math.min(...newer) : fetchedAtMs)
  }
  // Nothing landed yet: the page covers everything since watching began if it reaches back to
  // then, or if it is not full (Spotify showed all the history there is).
  if (pageSize < pageLimit || instants.some((ms) => ms <= watchingSince)) return Option.none<Gap>()
  return gap(watchingSince, Math.min(...instants))
})
