import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as SynchronizedRef from "effect/SynchronizedRef"
import { createHash } from "node:crypto"
import type { StoredToken } from "../../domain/StoredToken.js"
import { ReconnectHint } from "./ReconnectHint.js"
import { SpotifyConfig } from "./SpotifyConfig.js"
import { invalidClientMessage, TokenGrantBody, tokenRefusal } from "./SpotifyTokenEndpoint.js"
import { send, type SpotifyReply } from "./SpotifyTransport.js"
import { TokenStore, type TokenStoreError } from "../tokens/TokenStore.js"

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
}

/** Refresh this long before Spotify's stated expiry, so a token never dies mid-request. */
const refreshAhead = Duration.minutes(5)


interface CachedToken {
  readonly accessToken: Redacted.Redacted<string>
  readonly expiresAtMs: number
}

const fingerprint = (token: Redacted.Redacted<string>) =>
  createHash("sha256").update(Redacted.value(token)).digest("hex").slice(0, 16)

const storeFailed = (cause: TokenStoreError) =>
  new SpotifyAuthError({ reason: "TokenStore", message: `the token store failed: ${cause.message}`, cause })

const refusal = (reply: SpotifyReply, reconnect: string) => {
  const { code, description, unexpected } = tokenRefusal(reply)
  if (code === "invalid_grant") {
    return new SpotifyAuthRevoked({
      message: `Spotify refused the refresh token (invalid_grant: ${description}): it expired (Spotify ends refresh tokens ` +
        `six months after you authorise them) or access was revoked. To reconnect, ${reconnect}.`
    })
  }
  if (code === "invalid_client") {
    return new SpotifyAuthError({
      reason: "InvalidClient",
      message: invalidClientMessage(description)
    })
  }
  return new SpotifyAuthError({
    reason: "BadResponse",
    message: unexpected
  })
}

const makeSpotifyAuth = Effect.gen(function*() {
  const config = yield* SpotifyConfig
  const store = yield* TokenStore
  const http = yield* HttpClient.HttpClient
  const cache = yield* SynchronizedRef.make(Option.none<CachedToken>())
  const reconnect = (yield* ReconnectHint).instruction

  const refreshToken = Effect.gen(function*() {
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
      message: `No Spotify account is connected: ${reconnect} (or set SPOTIFY_REFRESH_TOKEN to a refresh token issued to your app).`
    })
  })

  const refresh = Effect.gen(function*() {
    const current = yield* refreshToken
    const secret = config.clientSecret
    const request = HttpClientRequest.post(`${config.accountsUrl}/api/token`).pipe(
      HttpClientRequest.acceptJson,
      HttpClientRequest.bodyUrlParams({
        grant_type: "refresh_token",
        refresh_token: Redacted.value(current.refresh_token),
        ...(Option.isNone(secret) ? { client_id: config.clientId } : {})
      }),
      (req) => Option.isSome(secret) ? HttpClientRequest.basicAuth(req, config.clientId, secret.value) : req
    )
    const reply = yield* send(http, request).pipe(
      Effect.mapError((failure) =>
        new SpotifyAuthError({ reason: "Unavailable", message: `could not refresh the Spotify access token: ${failure.message}`, cause: failure })
      )
    )
    if (reply.status !== 200) return yield* refusal(reply, reconnect)
    const grant = yield* Schema.decodeUnknown(TokenGrantBody)(reply.body).pipe(
      Effect.mapError((cause) =>
        new SpotifyAuthError({ reason: "BadResponse", message: "Spotify's token endpoint answered 200 with an unreadable body.", cause })
      )
    )
    const rotated = grant.refresh_token
    if (rotated !== undefined && Redacted.value(rotated) !== Redacted.value(current.refresh_token)) {
      yield* store.set({ ...current, refresh_token: rotated }).pipe(Effect.mapError(storeFailed))
      yield* Effect.logInfo("Spotify rotated the refresh token; the new one is stored")
    }
    const now = yield* Clock.currentTimeMillis
    return { accessToken: grant.access_token, expiresAtMs: now + grant.expires_in * 1000 }
  }).pipe(Effect.withSpan("SpotifyAuth.refresh"))

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
    authorisedAt
  } satisfies SpotifyAuthShape
})

export class SpotifyAuth extends Context.Tag("spotify-pipeline/SpotifyAuth")<SpotifyAuth, SpotifyAuthShape>() {
  /** Refresh-token grant against `$SPOTIFY_ACCOUNTS_URL/api/token`; needs SpotifyConfig, TokenStore, HttpClient. */
  static readonly layer = Layer.effect(SpotifyAuth, makeSpotifyAuth)
}
