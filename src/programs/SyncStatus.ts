import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { staleAfterHours } from "../domain/Deployment.js"
import { isoOf } from "../domain/Instant.js"
import type { RunSummary } from "../domain/RunSummary.js"
import { Lake } from "../services/lake/Lake.js"
import { type DamagedObject, orDamaged, undecodable } from "../services/lake/LakeCodec.js"
import { tokenKey } from "../services/lake/LakeLayout.js"
import { StateStore } from "../services/lake/StateStore.js"
import { TokenStore, type TokenStoreError } from "../services/tokens/TokenStore.js"
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
  /** Damaged objects a run set aside under `state/damaged/` and wrote again, oldest first. */
  readonly kept_damaged: ReadonlyArray<string>
  /** Objects in `plays/` the lake did not write: never read as plays. */
  readonly strangers: ReadonlyArray<string>
  readonly token: TokenLife | null
  /** Spotify refused the token and no login has happened since: syncing is stopped. */
  readonly auth_revoked: { readonly at: string; readonly message: string } | null
}

/** A token that cannot be read, named with the lake's damaged objects. */
const corruptToken = (error: TokenStoreError): DamagedObject | undefined =>
  error.reason === "Corrupt" ? { key: tokenKey, problem: error.message } : undefined

export const syncStatus = Effect.gen(function*() {
  const lake = yield* Lake
  const states = yield* StateStore
  const state = yield* orDamaged(Effect.map(states.read, Option.map((v) => v.state)), undecodable)
  const current = state.value
  const ledger = yield* lake.gaps(gapsShown)
  const inventory = yield* lake.playsInventory
  const token = yield* orDamaged(Effect.flatMap(TokenStore, (store) => store.get), corruptToken)
  const stored = token.value
  const now = yield* Clock.currentTimeMillis
  const revoked = Option.flatMapNullable(current, (s) => s.auth_revoked).pipe(
    // A login after the refusal replaced the token: the refusal is history.
    Option.filter((r) => Option.match(stored, { onNone: () => true, onSome: (t) => t.authorised_at_ms <= r.at }))
  )
  const lastRun = Option.getOrNull(Option.flatMapNullable(current, (s) => s.last_run))
  const lastSuccessMs = lastRun === null ? Number.NEGATIVE_INFINITY : Date.parse(lastRun.finished_at)
  const failure = yield* orDamaged(states.lastFailure, undecodable)
  const started = Option.isSome(current) || state.damaged.length > 0 || ledger.total > 0 || inventory.objects > 0
  const stateMissing = started && Option.isNone(current) && state.damaged.length === 0
  // Watching's start has its own object, so that a lost state file does not lose it: read only then.
  const watching = stateMissing ? yield* orDamaged(states.watchingSince, undecodable) : { value: Option.none(), damaged: [] }
  const watchingSince = Option.getOrNull(Option.orElse(Option.flatMapNullable(current, (s) => s.watching_since), () => watching.value))
  const cursor = Option.getOrNull(Option.flatMapNullable(current, (s) => s.cursor))
  const lastFailure = Option.getOrNull(Option.filter(failure.value, (f) => f.at > lastSuccessMs))
  return {
    started,
    state_missing: stateMissing,
    cursor: cursor === null ? null : isoOf(cursor),
    watching_since: watchingSince === null ? null : isoOf(watchingSince),
    last_run: lastRun,
    stale_hours: Number.isFinite(lastSuccessMs) && now - lastSuccessMs > staleAfterHours * hourMs
      ? Math.floor((now - lastSuccessMs) / hourMs)
      : null,
    last_failure: lastFailure === null ? null : { at: isoOf(lastFailure.at), error: lastFailure.error, message: lastFailure.message },
    gap_count: ledger.total,
    gaps: ledger.latest.map((gap) => ({ from: isoOf(gap.from), to: isoOf(gap.to), detected_at: isoOf(gap.detected_at) })),
    damaged: [...state.damaged, ...failure.damaged, ...watching.damaged, ...token.damaged, ...ledger.damaged],
    aside: yield* lake.asidePending,
    kept_damaged: yield* states.keptDamaged,
    strangers: inventory.strangers,
    token: Option.getOrNull(Option.map(stored, (t) => tokenLife(t, now))),
    auth_revoked: Option.getOrNull(Option.map(revoked, (r) => ({ at: isoOf(r.at), message: r.message })))
  } satisfies StatusReport
}).pipe(Effect.withSpan("SyncStatus"))
