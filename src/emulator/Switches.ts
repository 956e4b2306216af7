export interface Switches {
  /** The refresh_token grant rotates the refresh token (the old one then fails invalid_grant). */
  readonly refreshReturnsNewToken: boolean
  /** The refresh_token grant answers 400 invalid_grant "Refresh token revoked". */
  readonly refreshTokenRevoked: boolean
  /** What the user answers on the consent screen of GET /authorize. */
  readonly consent: "approve" | "deny"
  /** Share of new plays whose played_at is serialised without milliseconds. */
  readonly wholeSecondShare: number
  /** Share of new plays that are local files. */
  readonly localFileShare: number
  /** A careless server: every error answer quotes the request's Authorization header and form body back. */
  readonly echoSecrets: boolean
}

// Since 2026-07-20 refreshes return no new refresh token (test/fixtures/spotify/README.md), hence the default.
export const defaults: Switches = {
  refreshReturnsNewToken: false,
  refreshTokenRevoked: false,
  consent: "approve",
  wholeSecondShare: 0.1,
  localFileShare: 0.03,
  echoSecrets: false
}
