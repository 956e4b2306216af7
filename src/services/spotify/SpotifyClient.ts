import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import { describeParseError } from "../../domain/ParseIssues.js"
import { RecentlyPlayedPage } from "../../domain/RecentlyPlayedPage.js"
import { type SpotifyProfile, SpotifyProfileFromJson } from "../../domain/SpotifyProfile.js"
import { SpotifyAuth, type SpotifyAuthRevoked } from "./SpotifyAuth.js"
import { SpotifyConfig } from "./SpotifyConfig.js"
import { send, type SpotifyReply, type TransientFailure } from "./SpotifyTransport.js"

export class SpotifyClientError extends Data.TaggedError("SpotifyClientError")<{
  readonly reason:
    | "RateLimited"
    | "Unavailable"
    | "Timeout"
    | "Unauthorized"
    | "Forbidden"
    | "BadRequest"
    | "BadResponse"
    | "Auth"
  readonly message: string
  /** For `RateLimited`: how long Spotify asked us to wait. */
  readonly retryAfterSeconds?: number
  readonly cause?: unknown
}> {}

export interface RecentlyPlayedQuery {
  readonly limit: number
  readonly after?: number
  readonly before?: number
}

export interface RecentlyPlayedResponse {
  readonly page: RecentlyPlayedPage
  /** The body exactly as Spotify sent it, for the lake's `raw/` copy. */
  readonly body: string
}

export interface SpotifyClientShape {
  readonly recentlyPlayed: (
    query: RecentlyPlayedQuery
  ) => Effect.Effect<RecentlyPlayedResponse, SpotifyClientError | SpotifyAuthRevoked>
  /** Whose account the stored token belongs to (`GET /v1/me`). */
  readonly me: Effect.Effect<SpotifyProfile, SpotifyClientError | SpotifyAuthRevoked>
}

const PageFromBody = Schema.parseJson(RecentlyPlayedPage)

const fromTransient = (failure: TransientFailure): SpotifyClientError => {
  switch (failure.reason) {
    case "RateLimited":
      return new SpotifyClientError({
        reason: "RateLimited",
        message: failure.pastDeadline === true
          ? `Spotify asked us to wait ${Math.ceil((failure.retryAfterMs ?? 0) / 1000)} s, longer than this run may take`
          : failure.message,
        ...(failure.retryAfterMs === undefined ? {} : { retryAfterSeconds: Math.ceil(failure.retryAfterMs / 1000) }),
        cause: failure
      })
    case "Timeout":
      return new SpotifyClientError({ reason: "Timeout", message: failure.message, cause: failure })
    default:
      return new SpotifyClientError({ reason: "Unavailable", message: failure.message, cause: failure })
  }
}

const preview = (body: string) => JSON.stringify(body.length > 60 ? `${body.slice(0, 60)}…` : body)

const refused = (endpoint: string, reply: SpotifyReply): SpotifyClientError => {
  const reason = reply.status === 401
    ? "Unauthorized"
    : reply.status === 403
    ? "Forbidden"
    : reply.status === 400
    ? "BadRequest"
    : "BadResponse"
  return new SpotifyClientError({
    reason,
    message: `Spotify answered ${reply.status} to ${endpoint}: ${preview(reply.body)}`
  })
}

const makeSpotifyClient = Effect.gen(function*() {
  const config = yield* SpotifyConfig
  const auth = yield* SpotifyAuth
  const http = yield* HttpClient.HttpClient

  const getOnce = (url: URL) =>
    auth.accessToken.pipe(
      Effect.catchTag("SpotifyAuthError", (cause) =>
        Effect.fail(new SpotifyClientError({ reason: "Auth", message: cause.message, cause }))),
      Effect.flatMap((token) =>
        send(http, HttpClientRequest.get(url).pipe(HttpClientRequest.bearerToken(token), HttpClientRequest.acceptJson))
      ),
      Effect.catchTag("TransientFailure", (failure) => Effect.fail(fromTransient(failure)))
    )

  // One fresh token after a 401 (Spotify expired it early); a second 401 is an answer.
  const get = (url: URL) =>
    getOnce(url).pipe(
      Effect.flatMap((reply) => reply.status === 401 ? Effect.zipRight(auth.invalidate, getOnce(url)) : Effect.succeed(reply))
    )

  const recentlyPlayed = Effect.fn("SpotifyClient.recentlyPlayed")(function*(query: RecentlyPlayedQuery) {
    const url = new URL(`${config.apiUrl}/v1/me/player/recently-played`)
    url.searchParams.set("limit", String(query.limit))
    if (query.after !== undefined) url.searchParams.set("after", String(query.after))
    if (query.before !== undefined) url.searchParams.set("before", String(query.before))
    const reply = yield* get(url)
    if (reply.status !== 200) return yield* refused("recently-played", reply)
    const page = yield* Schema.decodeUnknown(PageFromBody)(reply.body).pipe(
      Effect.mapError((error) =>
        new SpotifyClientError({
          reason: "BadResponse",
          message: `Spotify's recently-played page could not be read: ${describeParseError(error)} (the body began ${
            preview(reply.body)
          })`,
          cause: error
        })
      )
    )
    if (page.items.length > query.limit) {
      return yield* new SpotifyClientError({
        reason: "BadResponse",
        message: `Spotify's recently-played page could not be read: ${page.items.length} plays for a limit of ${query.limit}`
      })
    }
    return { page, body: reply.body }
  })

  const me = Effect.gen(function*() {
    const reply = yield* get(new URL(`${config.apiUrl}/v1/me`))
    if (reply.status !== 200) return yield* refused("/v1/me", reply)
    return yield* Schema.decodeUnknown(SpotifyProfileFromJson)(reply.body).pipe(
      Effect.mapError((error) =>
        new SpotifyClientError({
          reason: "BadResponse",
          message: `Spotify's profile (/v1/me) could not be read: ${describeParseError(error)}`,
          cause: error
        })
      )
    )
  }).pipe(Effect.withSpan("SpotifyClient.me"))

  return { recentlyPlayed, me } satisfies SpotifyClientShape
})

export class SpotifyClient extends Context.Tag("spotify-pipeline/SpotifyClient")<SpotifyClient, SpotifyClientShape>() {
  /** Over HTTP at `$SPOTIFY_API_URL/v1/...`; needs SpotifyConfig, SpotifyAuth, HttpClient. */
  static readonly layer = Layer.effect(SpotifyClient, makeSpotifyClient)
}
