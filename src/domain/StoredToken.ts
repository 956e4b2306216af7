import * as Schema from "effect/Schema"

/**
 * The refresh token and when the user first authorised it: Spotify ends refresh tokens six
 * months after authorisation, and refreshing does not extend that.
 */
export const StoredToken = Schema.Struct({
  refresh_token: Schema.Redacted(Schema.String),
  authorised_at_ms: Schema.Number,
  bootstrap_fingerprint: Schema.NullOr(Schema.String),
  /**
   * Set when a refresh got no answer after it may have reached Spotify: if Spotify rotated the
   * token then, the new one was lost, and a later refusal says so. Cleared by the next refresh.
   */
  unanswered_refresh_at_ms: Schema.optional(Schema.Number)
})
export type StoredToken = typeof StoredToken.Type

export const StoredTokenFromJson = Schema.parseJson(StoredToken)
