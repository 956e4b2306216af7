import { Clock, DateTime, Effect, Option } from "effect"
import type { Gap, RunSummary } from "../domain/SyncState.js"
import { Lake } from "../services/Lake.js"
import { StateStore } from "../services/StateStore.js"
import { TokenStore } from "../services/TokenStore.js"

/** Spotify ends a refresh token this many months after the user authorised it (since July 2026). */
export const refreshTokenLifeMonths = 6

export interface TokenStatus {
  readonly authorised_at: string
  readonly age_days: number
  readonly expires_at: string
}

export interface StatusReport {
  readonly cursor: string | null
  readonly watching_since: string | null
  readonly last_run: RunSummary | null
  readonly gaps: ReadonlyArray<Gap>
  readonly token: TokenStatus | null
}

const dayMs = 24 * 60 * 60 * 1000

export const syncStatus = Effect.gen(function*() {
  const state = yield* Effect.flatMap(StateStore, (store) => store.read)
  const gaps = yield* Effect.flatMap(Lake, (lake) => lake.gaps)
  const stored = yield* Effect.flatMap(TokenStore, (store) => store.get)
  const now = yield* Clock.currentTimeMillis
  const token = Option.map(stored, (t): TokenStatus => {
    const authorised = DateTime.unsafeMake(t.authorised_at_ms)
    return {
      authorised_at: DateTime.formatIso(authorised),
      age_days: Math.floor((now - t.authorised_at_ms) / dayMs),
      expires_at: DateTime.formatIso(DateTime.add(authorised, { months: refreshTokenLifeMonths }))
    }
  })
  const current = Option.map(state, (v) => v.state)
  return {
    cursor: Option.match(current, { onNone: () => null, onSome: (s) => s.cursor }),
    watching_since: Option.match(current, {
      onNone: () => null,
      onSome: (s) => s.watching_since_ms === null ? null : new Date(s.watching_since_ms).toISOString()
    }),
    last_run: Option.match(current, { onNone: () => null, onSome: (s) => s.last_run }),
    gaps,
    token: Option.getOrNull(token)
  } satisfies StatusReport
}).pipe(Effect.withSpan("SyncStatus"))
