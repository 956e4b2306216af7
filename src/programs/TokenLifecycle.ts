import * as Clock from "effect/Clock"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { StoredToken } from "../domain/StoredToken.js"
import { SpotifyAuth } from "../services/spotify/SpotifyAuth.js"
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

/**
 * What a sync says about the token: null while it has more than a month left. Advisory only:
 * a token store that cannot be read fails the sync's own request soon after, with its reason.
 */
export const tokenExpiryWarning = Effect.gen(function*() {
  const authorisedAt = yield* Effect.flatMap(SpotifyAuth, (auth) => auth.authorisedAt)
  const now = yield* Clock.currentTimeMillis
  const reconnect = (yield* ReconnectHint).instruction
  return Option.getOrNull(Option.flatMapNullable(authorisedAt, (ms) => tokenLife({ authorised_at_ms: ms }, now, reconnect).warning))
}).pipe(
  Effect.catchAll((error) => Effect.logDebug(`the token's age is unknown: ${error.message}`).pipe(Effect.as(null))),
  Effect.withSpan("TokenLifecycle.tokenExpiryWarning")
)
