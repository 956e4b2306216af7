import * as Schema from "effect/Schema"

export const RunOutcome = Schema.Literal("synced", "busy", "rate_limited")
export type RunOutcome = typeof RunOutcome.Type

/** What one sync did; printed by `sync --json` and kept in the state's run log. Instants are ISO-8601 UTC. */
export const RunSummary = Schema.Struct({
  outcome: RunOutcome,
  started_at: Schema.String,
  finished_at: Schema.String,
  fetched: Schema.Number,
  new: Schema.Number,
  duplicates_skipped: Schema.Number,
  cursor: Schema.NullOr(Schema.String),
  gap: Schema.NullOr(Schema.Struct({ from: Schema.String, to: Schema.String })),
  /** Plays stamped later than this run's clock allows, kept aside in `state/aside/` instead of landing. */
  future_dated: Schema.optionalWith(Schema.Number, { default: () => 0 }),
  objects: Schema.Array(Schema.String),
  message: Schema.String,
  /** Set from five months after the refresh token was authorised: reconnect before Spotify ends it. */
  token_warning: Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null })
})
export type RunSummary = typeof RunSummary.Type
