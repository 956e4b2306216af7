import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { ReconnectHint } from "../services/spotify/ReconnectHint.js"
import { SpotifyAuth } from "../services/spotify/SpotifyAuth.js"
import { tokenLife } from "./TokenLifecycle.js"

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

/** Why the next run will need a reconnect, when this run's rotated refresh token could not be stored; else `otherwise`. */
export const unsavedRotationWarning = (otherwise: string | null) =>
  Effect.flatMap(SpotifyAuth, (auth) => auth.unsavedRotation).pipe(Effect.map(Option.getOrElse(() => otherwise)))
