import * as DateTime from "effect/DateTime"
import type { StoredToken } from "../domain/StoredToken.js"
import { ReconnectHint } from "../services/spotify/ReconnectHint.js"

/** Spotify ends a refresh token this many months after the user authorised it (since July 2026). */
export const refreshTokenLifeMonths = 6

/** From here on, status and every sync say to reconnect: a month to act on it. */
export const warnFromMonths = 5

const dayMs = 24 * 60 * 60 * 1000

export interface TokenLife {
  readonly authorised_at: string
  readonly age_days: number
  readonly expires_at: string
  /** Whole days until Spotify ends it; 0 or less once it has. */
  readonly days_left: number
  /** Null until five months after authorisation. */
  readonly warning: string | null
}

export const tokenLife = (
  token: Pick<StoredToken, "authorised_at_ms">,
  nowMs: number,
  reconnect: string = ReconnectHint.defaultValue().instruction
): TokenLife => {
  const authorised = DateTime.unsafeMake(token.authorised_at_ms)
  const expires = DateTime.add(authorised, { months: refreshTokenLifeMonths })
  const warnFrom = DateTime.add(authorised, { months: warnFromMonths })
  const expiresMs = DateTime.toEpochMillis(expires)
  const daysLeft = Math.ceil((expiresMs - nowMs) / dayMs)
  const expiresAt = DateTime.formatIso(expires)
  const warning = nowMs < DateTime.toEpochMillis(warnFrom)
    ? null
    : nowMs < expiresMs
    ? `Spotify ends the refresh token on ${expiresAt} (in ${daysLeft} day${daysLeft === 1 ? "" : "s"}; six months after you ` +
      `authorised it): ${reconnect} before then to keep syncing.`
    : `The refresh token reached Spotify's six-month limit on ${expiresAt}: ${reconnect} to reconnect.`
  return {
    authorised_at: DateTime.formatIso(authorised),
    age_days: Math.floor((nowMs - token.authorised_at_ms) / dayMs),
    expires_at: expiresAt,
    days_left: daysLeft,
    warning
  }
}
