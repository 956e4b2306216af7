import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { Gap, RunSummary } from "../domain/SyncState.js"
import { Lake } from "../services/lake/Lake.js"
import { StateStore } from "../services/lake/StateStore.js"
import { TokenStore } from "../services/tokens/TokenStore.js"
import { type TokenLife, tokenLife } from "./TokenLifecycle.js"

export interface AuthRevokedStatus {
  readonly at: string
  readonly message: string
}

export interface StatusReport {
  readonly cursor: string | null
  readonly watching_since: string | null
  readonly last_run: RunSummary | null
  readonly gaps: ReadonlyArray<Gap>
  readonly token: TokenLife | null
  /** Spotify refused the token and no login has happened since: syncing is stopped. */
  readonly auth_revoked: AuthRevokedStatus | null
}

export const syncStatus = Effect.gen(function*() {
  const state = yield* Effect.flatMap(StateStore, (store) => store.read)
  const gaps = yield* Effect.flatMap(Lake, (lake) => lake.gaps)
  const stored = yield* Effect.flatMap(TokenStore, (store) => store.get)
  const now = yield* Clock.currentTimeMillis
  const token = Option.map(stored, (t) => tokenLife(t, now))
  const current = Option.map(state, (v) => v.state)
  const revoked = Option.flatMapNullable(current, (s) => s.auth_revoked).pipe(
    // A login after the refusal replaced the token: the refusal is history.
    Option.filter((r) => Option.match(stored, { onNone: () => true, onSome: (t) => t.authorised_at_ms <= r.at_ms }))
  )
  return {
    cursor: Option.match(current, { onNone: () => null, onSome: (s) => s.cursor }),
    watching_since: Option.match(current, {
      onNone: () => null,
      onSome: (s) => s.watching_since_ms === null ? null : new Date(s.watching_since_ms).toISOString()
    }),
    last_run: Option.match(current, { onNone: () => null, onSome: (s) => s.last_run }),
    gaps,
    token: Option.getOrNull(token),
    auth_revoked: Option.getOrNull(Option.map(revoked, (r) => ({ at: r.at, message: r.message })))
  } satisfies StatusReport
}).pipe(Effect.withSpan("SyncStatus"))
