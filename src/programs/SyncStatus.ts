import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { staleAfterHours } from "../domain/Deployment.js"
import { isoOf } from "../domain/Instant.js"
import type { RunSummary } from "../domain/RunSummary.js"
import { Lake } from "../services/lake/Lake.js"
import { StateStore } from "../services/lake/StateStore.js"
import { TokenStore } from "../services/tokens/TokenStore.js"
import { type TokenLife, tokenLife } from "./TokenLifecycle.js"

const hourMs = 3_600_000

/** `status` reads this many of the most recent gaps; the rest are counted. */
export const gapsShown = 20

export interface StatusReport {
  /** False while nothing has been synced into this lake: the first sync starts it. */
  readonly started: boolean
  /** Started, but `state/sync.json` is gone (not damaged): the next sync writes it again from the lake. */
  readonly state_missing: boolean
  readonly cursor: string | null
  readonly watching_since: string | null
  readonly last_run: RunSummary | null
  /** Hours since the last successful sync, when more than `staleAfterHours` have gone by: plays may be slipping out of Spotify's window. */
  readonly stale_hours: number | null
  /** The last failed run, when no run has succeeded since. */
  readonly last_failure: { readonly at: string; readonly error: string; readonly message: string } | null
  readonly gap_count: number
  /** The most recent gaps (at most `gapsShown`), oldest first. */
  readonly gaps: ReadonlyArray<{ readonly from: string; readonly to: string; readonly detected_at: string }>
  /** Ledger or state files that could not be read: reported here, never fatal to `status`. */
  readonly damaged: ReadonlyArray<{ readonly key: string; readonly problem: string }>
  /** Plays stamped later than the clock of the run that fetched them, kept aside in `state/aside/` and not landed since. */
  readonly aside: number
  /** Objects in `plays/` the lake did not write: never read as plays. */
  readonly strangers: ReadonlyArray<string>
  readonly token: TokenLife | null
  /** Spotify refused the token and no login has happened since: syncing is stopped. */
  readonly auth_revoked: { readonly at: string; readonly message: string } | null
}

export const syncStatus = Effect.gen(function*() {
  const lake = yield* Lake
  const read = yield* Effect.flatMap(StateStore, (store) => store.read).pipe(Effect.either)
  const stateDamaged = read._tag === "Left" && read.left.reason === "Invalid" ? [{ key: read.left.key, problem: read.left.message }] : []
  if (read._tag === "Left" && stateDamaged.length === 0) return yield* read.left
  const current = read._tag === "Right" ? Option.map(read.right, (v) => v.state) : Option.none()
  const ledger = yield* lake.gaps(gapsShown)
  const inventory = yield* lake.playsInventory
  const stored = yield* Effect.flatMap(TokenStore, (store) => store.get)
  const now = yield* Clock.currentTimeMillis
  const state = Option.getOrNull(current)
  const revoked = Option.flatMapNullable(current, (s) => s.auth_revoked).pipe(
    // A login after the refusal replaced the token: the refusal is history.
    Option.filter((r) => Option.match(stored, { onNone: () => true, onSome: (t) => t.authorised_at_ms <= r.at }))
  )
  const lastSuccessMs = state?.last_run == null ? Number.NEGATIVE_INFINITY : Date.parse(state.last_run.finished_at)
  const failureRead = yield* Effect.flatMap(StateStore, (store) => store.lastFailure).pipe(Effect.either)
  if (failureRead._tag === "Left" && failureRead.left.reason !== "Invalid") return yield* failureRead.left
  const failure = failureRead._tag === "Right" ? Option.getOrNull(failureRead.right) : null
  const failureDamaged = failureRead._tag === "Left" ? [{ key: failureRead.left.key, problem: failureRead.left.message }] : []
  const started = state !== null || stateDamaged.length > 0 || ledger.total > 0 || inventory.objects > 0
  const stateMissing = started && state === null && stateDamaged.length === 0
  // Watching's start has its own object, so that a lost state file does not lose it: read only then.
  const watchingRead = state?.watching_since != null || !stateMissing
    ? undefined
    : yield* Effect.flatMap(StateStore, (store) => store.watchingSince).pipe(Effect.either)
  if (watchingRead?._tag === "Left" && watchingRead.left.reason !== "Invalid") return yield* watchingRead.left
  const watchingDamaged = watchingRead?._tag === "Left" ? [{ key: watchingRead.left.key, problem: watchingRead.left.message }] : []
  const watchingSince = state?.watching_since ?? (watchingRead?._tag === "Right" ? Option.getOrNull(watchingRead.right) : null)
  return {
    started,
    state_missing: stateMissing,
    cursor: state?.cursor == null ? null : isoOf(state.cursor),
    watching_since: watchingSince === null ? null : isoOf(watchingSince),
    last_run: state?.last_run ?? null,
    stale_hours: Number.isFinite(lastSuccessMs) && now - lastSuccessMs > staleAfterHours * hourMs
      ? Math.floor((now - lastSuccessMs) / hourMs)
      : null,
    last_failure: failure === null || failure.at <= lastSuccessMs
      ? null
      : { at: isoOf(failure.at), error: failure.error, message: failure.message },
    gap_count: ledger.total,
    gaps: ledger.latest.map((gap) => ({ from: isoOf(gap.from), to: isoOf(gap.to), detected_at: isoOf(gap.detected_at) })),
    damaged: [...stateDamaged, ...failureDamaged, ...watchingDamaged, ...ledger.damaged],
    aside: yield* lake.asidePending,
    strangers: inventory.strangers,
    token: Option.getOrNull(Option.map(stored, (t) => tokenLife(t, now))),
    auth_revoked: Option.getOrNull(Option.map(revoked, (r) => ({ at: isoOf(r.at), message: r.message })))
  } satisfies StatusReport
}).pipe(Effect.withSpan("SyncStatus"))
