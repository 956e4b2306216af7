import * as Schema from "effect/Schema"

/** A window in which plays may have been lost: more than 50 plays happened between two syncs. */
export const Gap = Schema.Struct({
  from: Schema.String,
  to: Schema.String,
  from_ms: Schema.Number,
  to_ms: Schema.Number,
  detected_at: Schema.String
})
export type Gap = typeof Gap.Type

export const RunOutcome = Schema.Literal("synced", "busy", "rate_limited")
export type RunOutcome = typeof RunOutcome.Type

/** What one sync did; printed by `sync --json`, kept in state as `last_run` and in the run log. */
export const RunSummary = Schema.Struct({
  outcome: RunOutcome,
  started_at: Schema.String,
  finished_at: Schema.String,
  fetched: Schema.Number,
  new: Schema.Number,
  duplicates_skipped: Schema.Number,
  cursor: Schema.NullOr(Schema.String),
  gap: Schema.NullOr(Schema.Struct({ from: Schema.String, to: Schema.String })),
  objects: Schema.Array(Schema.String),
  message: Schema.String,
  /** Set from five months after the refresh token was authorised: reconnect before Spotify ends it. */
  token_warning: Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null })
})
export type RunSummary = typeof RunSummary.Type

/** Spotify refused the refresh token (invalid_grant): syncing cannot resume until the user reconnects. */
export const AuthRevoked = Schema.Struct({
  at: Schema.String,
  at_ms: Schema.Number,
  message: Schema.String
})
export type AuthRevoked = typeof AuthRevoked.Type

/** `state/sync.json`: moved only after the data it describes is in the lake. */
export const SyncState = Schema.Struct({
  format: Schema.Literal(1),
  /** The newest played_at in the lake, in ms. */
  cursor_ms: Schema.NullOr(Schema.Number),
  cursor: Schema.NullOr(Schema.String),
  /** When the first sync read Spotify: plays after it are ours to capture, even before the first play lands. */
  watching_since_ms: Schema.NullOr(Schema.Number),
  last_run: Schema.NullOr(RunSummary),
  /** Kept from the first refused refresh until a sync succeeds again. */
  auth_revoked: Schema.optionalWith(Schema.NullOr(AuthRevoked), { default: () => null })
})
export type SyncState = typeof SyncState.Type

export const initialSyncState: SyncState = {
  format: 1,
  cursor_ms: null,
  cursor: null,
  watching_since_ms: null,
  last_run: null,
  auth_revoked: null
}

/** `state/lease.json`: who holds the lake, until when; a killed run's lease simply expires. */
export const Lease = Schema.Struct({
  holder: Schema.String,
  acquired_at_ms: Schema.Number,
  expires_at_ms: Schema.Number
})
export type Lease = typeof Lease.Type
