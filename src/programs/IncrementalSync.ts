import * as Clock from "effect/Clock"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import { runBudgetMs } from "../domain/Deployment.js"
import type { Gap } from "../domain/Gap.js"
import { EpochMs, epochMsOf, isoOf } from "../domain/Instant.js"
import { leaseMarginMs } from "../domain/Lease.js"
import { type Play, playFromItem, playKey } from "../domain/Play.js"
import type { RunSummary } from "../domain/RunSummary.js"
import { initialSyncState, type SyncState, withRun } from "../domain/SyncState.js"
import { Lake } from "../services/lake/Lake.js"
import { StateStore } from "../services/lake/StateStore.js"
import { RunDeadline } from "../services/spotify/RunDeadline.js"
import { SpotifyClient } from "../services/spotify/SpotifyClient.js"
import { detectGap, splitByClock } from "./GapDetection.js"
import { pageLimit } from "./PageLimit.js"
import { recordFailure } from "./RunFailures.js"
import { tokenExpiryWarning, unsavedRotationWarning } from "./TokenExpiryWarning.js"


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

const uniqueByKey = (plays: ReadonlyArray<Play>) => [...new Map(plays.map((play) => [playKey(play), play])).values()]

const summarise = (
  fields: Omit<RunSummary, "finished_at" | "message">,
  message: string
): Effect.Effect<RunSummary> =>
  Clock.currentTimeMillis.pipe(Effect.map((now) => ({ ...fields, finished_at: isoOf(now), message })))

const describe = (fresh: number, fetched: number, gap: Option.Option<Gap>, future: number) =>
  `${fresh} new of ${fetched} fetched` +
  (future === 0 ? "" : `; ${future} play(s) stamped later than this machine's clock kept aside in state/aside/`) +
  Option.match(gap, {
    onNone: () => "",
    onSome: (g) =>
      `; GAP: the page no longer reaches back to any play already captured, plays between ${isoOf(g.from)} and ${
        isoOf(g.to)
      } may be lost`
  })

/**
 * One sync: fetch the newest page, land the plays the lake lacks, record any gap, then move the
 * state. Data is always written before the state that describes it; the first run records when
 * watching began before it lands anything.
 */
export const incrementalSync = Effect.fn("IncrementalSync")(function*(options: SyncOptions) {
  const lake = yield* Lake
  const spotify = yield* SpotifyClient
  const states = yield* StateStore
  const startedAtMs = yield* Clock.currentTimeMillis
  const tokenWarning = yield* tokenExpiryWarning
  if (tokenWarning !== null) yield* Effect.logWarning(tokenWarning)
  const base = {
    started_at: isoOf(startedAtMs),
    fetched: 0,
    new: 0,
    duplicates_skipped: 0,
    gap: null,
    future_dated: 0,
    objects: [],
    token_warning: tokenWarning
  } as const

  const run = Effect.gen(function*() {
    yield* states.lease(options.runId, Duration.sum(options.budget, Duration.millis(leaseMarginMs)))
    // A state file that no longer decodes must not stop capture: the lake itself says what it
    // holds, and when watching began has its own object. Kept aside as it was, for people.
    const readState = states.read.pipe(
      Effect.catchIf((error) => error.reason === "Invalid", (error) =>
        Effect.gen(function*() {
          const { kept, version } = yield* states.setAsideDamaged(startedAtMs, initialSyncState)
          yield* Effect.logWarning(
            `${error.message}: kept as ${kept}, and the state begun again from the lake (its run log is lost; the plays are not)`
          )
          return Option.some({ state: initialSyncState, version })
        }))
    )
    // The state and the page do not depend on each other: read at once, one round trip saved.
    // The page is fetched in this fiber, so a failing state read never interrupts a token
    // refresh Spotify has answered (a rotated token must reach the store).
    const reading = yield* Effect.fork(readState)
    const fetched = yield* spotify.recentlyPlayed(pageLimit).pipe(
      Effect.map(Option.some),
      Effect.catchIf(
        (error) => error._tag === "SpotifyClientError" && error.reason === "RateLimited",
        (error) => Effect.logWarning(error.message).pipe(Effect.as(Option.none()))
      )
    )
    const stored = yield* Fiber.join(reading)
    const found: SyncState = Option.match(stored, { onNone: () => initialSyncState, onSome: (v) => v.state })
    // The fetch may have refreshed the token: a rotation the store refused outranks the age warning.
    const warned = { ...base, token_warning: yield* unsavedRotationWarning(base.token_warning) }
    if (Option.isNone(fetched)) {
      return yield* summarise(
        { ...warned, outcome: "rate_limited", cursor: found.cursor === null ? null : isoOf(found.cursor) },
        "Spotify is rate limiting us for longer than this run may wait; nothing changed, the next run catches up"
      )
    }
    const { body, page } = fetched.value
    const fetchedAtMs = yield* Clock.currentTimeMillis
    const { future, plausible } = splitByClock(page.items, fetchedAtMs)
    const plays = uniqueByKey(plausible.map(playFromItem))
    // Watching began with the first page read: recorded before anything lands, so a first run
    // that dies after landing plays, or a lost state file, still leaves when capture started.
    const watching = Effect.gen(function*() {
      const since = yield* states.startWatching(found.watching_since ?? epochMsOf(startedAtMs))
      const version = Option.isSome(stored)
        ? stored.value.version
        : yield* states.write({ ...found, watching_since: since }, Option.none())
      return { since, version }
    })
    // The overlap window is the whole page: every play Spotify still shows is checked against
    // the lake, so one reported late, however far behind, still lands once. Reading the lake
    // and recording the watch do not depend on each other: both run at once.
    const [{ since: watchingSince, version }, known] = yield* Effect.all([watching, lake.knownPlays(plays)], {
      concurrency: 2
    })
    const state: SyncState = { ...found, watching_since: watchingSince }
    const fresh = plays.filter((play) => !known.has(playKey(play)))
    // A watch that began in this very run reaches back before every play on the page: no gap.
    const gap = yield* detectGap(lake, plays, known, watchingSince, fetchedAtMs, page.items.length)

    const newestMs = Math.max(...plays.map((play) => play.played_at_ms), state.cursor ?? Number.NEGATIVE_INFINITY)
    const cursor = Number.isFinite(newestMs) ? EpochMs.make(newestMs) : null
    const objects: Array<string> = []
    // The gap goes into the ledger before any play lands: once one has, a retry's page reaches
    // back to it, and the window would no longer be seen.
    if (Option.isSome(gap)) {
      const ledger = yield* lake.recordGap(gap.value)
      if (ledger.recorded) objects.push(ledger.key)
      yield* Effect.logWarning(describe(fresh.length, page.items.length, gap, future.length))
    }
    // The raw page before the plays, not beside them: a page whose write failed while its plays
    // landed would never be written (the next run finds nothing new on it).
    if (fresh.length > 0 || Option.isSome(gap)) objects.push(yield* lake.writeRaw(body, fetchedAtMs, cursor ?? fetchedAtMs))
    objects.push(...(yield* lake.writePlays(fresh)))
    if (future.length > 0) {
      objects.push(...(yield* lake.keepAside(future.map(playFromItem), fetchedAtMs)))
      yield* Effect.logWarning(
        `${future.length} play(s) on the page are stamped after ${isoOf(fetchedAtMs)} (this machine's clock, plus 15 ` +
          "minutes): kept aside in state/aside/, not landed; if this machine's clock is behind, set it right"
      )
    }

    const summary = yield* summarise(
      {
        ...warned,
        outcome: "synced",
        fetched: page.items.length,
        new: fresh.length,
        duplicates_skipped: plays.length - fresh.length,
        cursor: cursor === null ? null : isoOf(cursor),
        gap: Option.getOrNull(Option.map(gap, (g) => ({ from: isoOf(g.from), to: isoOf(g.to) }))),
        future_dated: future.length,
        objects
      },
      describe(fresh.length, page.items.length, gap, future.length)
    )
    yield* states.write({ ...withRun(state, summary), cursor, auth_revoked: null }, Option.some(version))
    return summary
  }).pipe(
    Effect.provideService(RunDeadline, { atMs: startedAtMs + Duration.toMillis(options.budget) }),
    Effect.timeoutFail({
      duration: options.budget,
      onTimeout: () => new SyncTimedOut({ message: `the sync did not finish within ${Duration.format(options.budget)}` })
    }),
    // Still inside the lease: a failure is recorded before another run can take the lake.
    Effect.tapError((error) => error._tag === "LakeBusy" ? Effect.void : recordFailure(error)),
    Effect.scoped
  )

  return yield* run.pipe(
    Effect.catchTag("LakeBusy", (busy) =>
      Effect.gen(function*() {
        const current = yield* states.read
        const cursor = Option.flatMapNullable(current, (v) => v.state.cursor)
        return yield* summarise({ ...base, outcome: "busy", cursor: Option.getOrNull(Option.map(cursor, isoOf)) }, busy.message)
      }))
  )
})
