import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import * as SynchronizedRef from "effect/SynchronizedRef"
import { sha256Hex } from "../../domain/Sha256.js"
import type { StoredToken } from "../../domain/StoredToken.js"
import { TokenStore, type TokenStoreError } from "../tokens/TokenStore.js"
import { ReconnectHint } from "./ReconnectHint.js"
import { SpotifyConfig } from "./SpotifyConfig.js"
import { SpotifyHttp, type SpotifyHttpError } from "./SpotifyHttp.js"
import { invalidClientMessage, postToken, type TokenRefused } from "./SpotifyTokenEndpoint.js"
import { isoOf } from "../../domain/Instant.js"

export class SpotifyAuthError extends Data.TaggedError("SpotifyAuthError")<{
  readonly reason: "NotConnected" | "InvalidClient" | "Unavailable" | "BadResponse" | "TokenStore"
  readonly message: string
  readonly cause?: unknown
}> {}

/** Spotify no longer accepts the refresh token: retrying cannot help, the user must reconnect. */
export class SpotifyAuthRevoked extends Data.TaggedError("SpotifyAuthRevoked")<{
  readonly message: string
}> {}

export interface SpotifyAuthShape {
  /** A valid access token, refreshed ahead of its expiry; concurrent callers share one refresh. */
  readonly accessToken: Effect.Effect<Redacted.Redacted<string>, SpotifyAuthError | SpotifyAuthRevoked>
  /** Drops the cached access token (after a 401) so the next call refreshes. */
  readonly invalidate: Effect.Effect<void>
  /** When the user authorised the stored refresh token (epoch ms): Spotify ends it six months later. None before one is stored. */
  readonly authorisedAt: Effect.Effect<Option.Option<number>, SpotifyAuthError>
  /**
   * Set once Spotify rotated the refresh token in this process and the store refused the new one:
   * the run goes on with it (its plays are not lost), and this says why the next run will need a reconnect.
   */
  readonly unsavedRotation: Effect.Effect<Option.Option<string>>
}

/** Refresh this long before Spotify's stated expiry, so a token never dies mid-request. */
const refreshAhead = Duration.minutes(5)

interface CachedToken {
  readonly accessToken: Redacted.Redacted<string>
  readonly expiresAtMs: number
}

const fingerprint = (token: Redacted.Redacted<string>) =>
  sha256Hex(Redacted.value(token)).slice(0, 16)

const storeFailed = (cause: TokenStoreError) =>
  new SpotifyAuthError({ reason: "TokenStore", message: `the token store failed: ${cause.message}`, cause })


const refusal = (refused: TokenRefused, current: StoredToken, hint: typeof ReconnectHint.Service) => {
  const reconnect = hint.instruction
  if (refused.code === "invalid_grant") {
    const lost = current.unanswered_refresh_at_ms === undefined
      ? ""
      : ` A refresh at ${isoOf(current.unanswered_refresh_at_ms)} got no answer: Spotify may have rotated the token then, and ` +
        "the new one never arrived."
    return new SpotifyAuthRevoked({
      message: `Spotify refused the refresh token (invalid_grant: ${refused.description}): it expired (Spotify ends refresh tokens ` +
        `six months after you authorise them) or access was revoked.${lost} To reconnect, ${reconnect}.`
    })
  }
  return new SpotifyAuthError({
    reason: refused.code === "invalid_client" ? "InvalidClient" : "BadResponse",
    message: refused.code === "invalid_client" ? invalidClientMessage(refused.description, hint.credentials) : refused.unexpected
  })
}

/** The request cannot have reached Spotify: the refresh token is surely unchanged. */
const neverSent = (error: SpotifyHttpError) => error.reason === "Refused" || error.reason === "NameNotFound"

const makeSpotifyAuth = Effect.gen(function*() {
  const config = yield* SpotifyConfig
  const store = yield* TokenStore
  const { accounts } = yield* SpotifyHttp
  const cache = yield* SynchronizedRef.make(Option.none<CachedToken>())
  // A rotated token the store refused: used by later refreshes of this process, and stored at the first that can.
  const unsavedRotation = yield* Ref.make(Option.none<{ readonly token: StoredToken; readonly message: string }>())
  const hint = yield* ReconnectHint
  const reconnect = hint.instruction

  const refreshToken = Effect.gen(function*() {
    const held = yield* Ref.get(unsavedRotation)
    if (Option.isSome(held)) return held.value.token
    const stored = yield* store.get.pipe(Effect.mapError(storeFailed))
    const fromEnv = config.refreshToken
    const adoptEnv = Option.isSome(fromEnv) && Option.match(stored, {
      onNone: () => true,
      // Only a token that itself came from the environment yields to a different one there.
      onSome: (token) => token.bootstrap_fingerprint !== null && token.bootstrap_fingerprint !== fingerprint(fromEnv.value)
    })
    if (adoptEnv) {
      const token: StoredToken = {
        refresh_token: fromEnv.value,
        authorised_at_ms: yield* Clock.currentTimeMillis,
        bootstrap_fingerprint: fingerprint(fromEnv.value)
      }
      yield* store.set(token).pipe(Effect.mapError(storeFailed))
      return token
    }
    if (Option.isSome(stored)) return stored.value
    return yield* new SpotifyAuthError({
      reason: "NotConnected",
      message: `No Spotify account is connected: ${reconnect}${hint.otherwise}.`
    })
  })

  const unsaved = (token: StoredToken, error: TokenStoreError) => {
    const message = `Spotify rotated the refresh token and the token store refused the new one (${error.message}): ` +
      `this run goes on with it, but Spotify no longer accepts the stored one. To reconnect, ${reconnect} now.`
    return Ref.set(unsavedRotation, Option.some({ token, message })).pipe(Effect.zipRight(Effect.logError(message)))
  }

  const refresh = Effect.gen(function*() {
    const pending = Option.isSome(yield* Ref.get(unsavedRotation))
    const current = yield* refreshToken
    const grant = yield* postToken(accounts, config, {
      grant_type: "refresh_token",
      refresh_token: Redacted.value(current.refresh_token)
    }).pipe(
      Effect.catchTags({
        TokenRefused: (refused) => Effect.fail(refusal(refused, current, hint)),
        TokenUnreadable: (unreadable) => Effect.fail(new SpotifyAuthError({ reason: "BadResponse", message: unreadable.description })),
        SpotifyHttpError: (failure) => unanswered(current, failure)
      })
    )
    const rotated = grant.refresh_token
    const kept = rotated === undefined || Redacted.value(rotated) === Redacted.value(current.refresh_token)
    // A token the store does not hold yet: rotated now, or earlier in this process and refused then.
    const newToken = !kept || pending
    if (newToken || current.unanswered_refresh_at_ms !== undefined) {
      const { unanswered_refresh_at_ms: _answered, ...token } = current
      const next = kept ? token : { ...token, refresh_token: rotated }
      yield* store.set(next).pipe(
        Effect.zipRight(Ref.set(unsavedRotation, Option.none())),
        Effect.zipRight(newToken ? Effect.logInfo("Spotify rotated the refresh token; the new one is stored") : Effect.void),
        // The grant is spent either way: Spotify answered, and after a rotation the stored token
        // no longer works. Failing here would lose this run's plays as well as the new token.
        Effect.catchAll((error) =>
          newToken ? unsaved(next, error) : Effect.logWarning(`could not clear the unanswered refresh's note: ${error.message}`)
        )
      )
    }
    const now = yield* Clock.currentTimeMillis
    return { accessToken: grant.access_token, expiresAtMs: now + grant.expires_in * 1000 }
  }).pipe(Effect.withSpan("SpotifyAuth.refresh"))

  // Not retried (SpotifyHttp's accounts client retries only requests that never left): Spotify may
  // have rotated the token before the answer was lost, and the old one would then be refused.
  const unanswered = (current: StoredToken, failure: SpotifyHttpError) =>
    Effect.gen(function*() {
      const sent = !neverSent(failure)
      if (sent) {
        const now = yield* Clock.currentTimeMillis
        yield* store.set({ ...current, unanswered_refresh_at_ms: now }).pipe(
          Effect.catchAll((error) => Effect.logWarning(`could not note the unanswered refresh: ${error.message}`))
        )
      }
      return yield* new SpotifyAuthError({
        reason: "Unavailable",
        message: `could not refresh the Spotify access token: ${failure.message}` +
          (sent ? "; if Spotify rotated the refresh token before the answer was lost, the next sync will say so" : ""),
        cause: failure
      })
    })

  const accessToken = SynchronizedRef.modifyEffect(cache, (cached) =>
    Effect.gen(function*() {
      const now = yield* Clock.currentTimeMillis
      if (Option.isSome(cached) && now < cached.value.expiresAtMs - Duration.toMillis(refreshAhead)) {
        return [cached.value.accessToken, cached] as const
      }
      const fresh = yield* refresh
      return [fresh.accessToken, Option.some(fresh)] as const
    })
  ).pipe(Effect.withSpan("SpotifyAuth.accessToken"))

  const authorisedAt = store.get.pipe(
    Effect.map(Option.map((token) => token.authorised_at_ms)),
    Effect.mapError(storeFailed),
    Effect.withSpan("SpotifyAuth.authorisedAt")
  )

  return {
    accessToken,
    invalidate: SynchronizedRef.set(cache, Option.none()),
    authorisedAt,
    unsavedRotation: Effect.map(Ref.get(unsavedRotation), Option.map((held) => held.message))
  } satisfies SpotifyAuthShape
})

export class SpotifyAuth extends Context.Tag("spotify-pipeline/SpotifyAuth")<SpotifyAuth, SpotifyAuthShape>() {
  /** Refresh-token grant against `$SPOTIFY_ACCOUNTS_URL/api/token`; needs SpotifyConfig, TokenStore, HttpClient. */
  static readonly layer = Layer.effect(SpotifyAuth, makeSpotifyAuth)
}
