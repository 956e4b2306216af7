import * as Clock from "effect/Clock"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { runBudgetMs } from "../domain/Deployment.js"
import { type Play, playFromItem, playKey } from "../domain/Play.js"
import type { RecentlyPlayedPage } from "../domain/RecentlyPlayedPage.js"
import type { AuthRevoked, Gap, RunSummary, SyncState } from "../domain/SyncState.js"
import { initialSyncState } from "../domain/SyncState.js"
import { Lake } from "../services/lake/Lake.js"
import { RunDeadline } from "../services/spotify/RunDeadline.js"
import { SpotifyClient } from "../services/spotify/SpotifyClient.js"
import { StateStore } from "../services/lake/StateStore.js"
import { tokenExpiryWarning } from "./TokenLifecycle.js"

/** Spotify keeps the 50 most recent plays; one full page is everything there is. */
export const pageLimit = 50

export interface SyncOptions {
  /** The run must end within this; a `Retry-After` beyond it ends the run cleanly. */
  readonly budget: Duration.Duration
  /** Names this run in the lease. */
  readonly runId: string
}

export const defaultSyncOptions = {
  budget: Duration.millis(runBudgetMs)
} as const

/** The run outlived its budget: it was interrupted, and its lease released, before finishing. */
export class SyncTimedOut extends Data.TaggedError("SyncTimedOut")<{ readonly message: string }> {}

/** A lease outlives the run it guards, so no two runs ever write at once. */
const leaseMargin = Duration.minutes(1)

const iso = (ms: number) => new Date(ms).toISOString()

const uniqueByKey = (plays: ReadonlyArray<Play>) => [...new Map(plays.map((play) => [playKey(play), play])).values()]

/**
 * Plays may have been lost when a full page holds nothing at or before what we had already
 * seen: the cursor, or before any play landed, the moment we started watching.
 */
const detectGap = (page: RecentlyPlayedPage, state: SyncState, detectedAtMs: number): Gap | null => {
  const seenUpTo = state.cursor_ms ?? state.watching_since_ms
  if (seenUpTo === null || page.items.length < pageLimit) return null
  const oldest = Math.min(...page.items.map((item) => item.played_at))
  if (oldest <= seenUpTo) return null
  return { from: iso(seenUpTo), to: iso(oldest), from_ms: seenUpTo, to_ms: oldest, detected_at: iso(detectedAtMs) }
}

const summarise = (
  fields: Omit<RunSummary, "finished_at" | "message">,
  message: string
): Effect.Effect<RunSummary> =>
  Clock.currentTimeMillis.pipe(Effect.map((now) => ({ ...fields, finished_at: iso(now), message })))

const describe = (fresh: number, fetched: number, gap: Gap | null) =>
  `${fresh} new of ${fetched} fetched` +
  (gap === null ? "" : `; GAP: more than ${pageLimit} plays since the last sync, plays between ${gap.from} and ${gap.to} may be lost`)

/**
 * One sync: fetch the newest page, land the plays the lake lacks, record any gap, then move
 * the cursor. Data is always written before the state that points past it.
 */
export const incrementalSync = Effect.fn("IncrementalSync")(function*(options: SyncOptions) {
  const lake = yield* Lake
  const spotify = yield* SpotifyClient
  const states = yield* StateStore
  const startedAtMs = yield* Clock.currentTimeMillis
  const tokenWarning = yield* tokenExpiryWarning
  if (tokenWarning !== null) yield* Effect.logWarning(tokenWarning)
  const base = {
    started_at: iso(startedAtMs),
    fetched: 0,
    new: 0,
    duplicates_skipped: 0,
    gap: null,
    objects: [],
    token_warning: tokenWarning
  } as const

  const run = Effect.gen(function*() {
    yield* states.lease(options.runId, Duration.sum(options.budget, leaseMargin))
    const stored = yield* states.read
    const state: SyncState = Option.match(stored, { onNone: () => initialSyncState, onSome: (v) => v.state })
    const cursor = state.cursor_ms

    // Spotify refused the token: no retry can help, so record it for `status` and alarms, then fail.
    const recordRevoked = (message: string) =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const revoked: AuthRevoked = state.auth_revoked ?? { at: iso(now), at_ms: now, message }
        yield* states.write({ ...state, auth_revoked: revoked }, Option.map(stored, (v) => v.version))
      }).pipe(Effect.catchAll((error) => Effect.logWarning(`could not record the refused token in state: ${error.message}`)))

    const fetched = yield* spotify.recentlyPlayed(pageLimit).pipe(
      Effect.map(Option.some),
      Effect.catchIf(
        (error) => error._tag === "SpotifyClientError" && error.reason === "RateLimited",
        (error) => Effect.logWarning(error.message).pipe(Effect.as(Option.none()))
      ),
      Effect.tapErrorTag("SpotifyAuthRevoked", (revoked) => recordRevoked(revoked.message))
    )
    if (Option.isNone(fetched)) {
      return yield* summarise(
        { ...base, outcome: "rate_limited", cursor: state.cursor },
        "Spotify is rate limiting us for longer than this run may wait; nothing changed, the next run catches up"
      )
    }
    const { page, body } = fetched.value
    const fetchedAtMs = yield* Clock.currentTimeMillis
    const plays = uniqueByKey(page.items.map(playFromItem))
    // The overlap window is the whole page: every play Spotify still shows is checked against
    // the lake, so one reported late, however far behind the cursor, still lands once.
    const known = yield* lake.knownPlays(plays)
    const fresh = plays.filter((play) => !known.has(playKey(play)))
    const gap = detectGap(page, state, fetchedAtMs)

    const objects: Array<string> = []
    if (fresh.length > 0 || gap !== null) objects.push(yield* lake.writeRaw(body, fetchedAtMs))
    objects.push(...(yield* lake.writePlays(fresh)))
    if (gap !== null) {
      yield* lake.recordGap(gap)
      yield* Effect.logWarning(describe(fresh.length, plays.length, gap))
    }

    const newest = Math.max(cursor ?? Number.NEGATIVE_INFINITY, ...plays.map((play) => play.played_at_ms))
    const cursorMs = Number.isFinite(newest) ? newest : null
    const summary = yield* summarise(
      {
        ...base,
        outcome: "synced",
        fetched: page.items.length,
        new: fresh.length,
        duplicates_skipped: page.items.length - fresh.length,
        cursor: cursorMs === null ? null : iso(cursorMs),
        gap: gap === null ? null : { from: gap.from, to: gap.to },
        objects
      },
      describe(fresh.length, page.items.length, gap)
    )
    yield* states.write(
      {
        ...state,
        cursor_ms: cursorMs,
        cursor: summary.cursor,
        watching_since_ms: state.watching_since_ms ?? fetchedAtMs,
        last_run: summary,
        auth_revoked: null
      },
      Option.map(stored, (v) => v.version)
    )
    // The run log is a convenience: the state already says this run happened.
    yield* lake.recordRun(summary, startedAtMs).pipe(
      Effect.catchAll((error) => Effect.logWarning(`could not add this run to the run log: ${error.message}`))
    )
    return summary
  }).pipe(
    Effect.scoped,
    Effect.provideService(RunDeadline, { atMs: startedAtMs + Duration.toMillis(options.budget) }),
    Effect.timeoutFail({
      duration: options.budget,
      onTimeout: () => new SyncTimedOut({ message: `the sync did not finish within ${Duration.format(options.budget)}` })
    })
  )

  return yield* run.pipe(
    Effect.catchTag("LakeBusy", (busy) =>
      Effect.gen(function*() {
        const current = yield* states.read
        const cursor = Option.match(current, { onNone: () => null, onSome: (v) => v.state.cursor })
        return yield* summarise({ ...base, outcome: "busy", cursor }, busy.message)
      }))
  )
})
