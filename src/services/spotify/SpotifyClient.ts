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
import { scrub } from "./Scrub.js"
import { SpotifyHttp, type SpotifyHttpError } from "./SpotifyHttp.js"

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

export interface RecentlyPlayedResponse {
  readonly page: RecentlyPlayedPage
  /** The body exactly as Spotify sent it, for the lake's `raw/` copy. */
  readonly body: string
}

export interface SpotifyClientShape {
  /** The newest `limit` plays Spotify shows (it keeps 50), newest first. */
  readonly recentlyPlayed: (limit: number) => Effect.Effect<RecentlyPlayedResponse, SpotifyClientError | SpotifyAuthRevoked>
  /** Whose account the stored token belongs to (`GET /v1/me`). */
  readonly me: Effect.Effect<SpotifyProfile, SpotifyClientError | SpotifyAuthRevoked>
}

const PageFromBody = Schema.parseJson(RecentlyPlayedPage)

const preview = (body: string) => JSON.stringify(body.length > 60 ? `${body.slice(0, 60)}…` : body)

const statusReasons: Record<number, SpotifyClientError["reason"]> = { 400: "BadRequest", 401: "Unauthorized", 403: "Forbidden" }

/**
 * What a failed request means to the caller, named by the endpoint it was for; `clean` scrubs
 * what the server sent. Parse errors quote the body, so none is kept as a cause.
 */
const clientError = (endpoint: string, clean: (text: string) => string) => (error: SpotifyHttpError): SpotifyClientError => {
  switch (error.reason) {
    case "RateLimited": {
      const seconds = error.retryAfterMs === undefined ? undefined : Math.ceil(error.retryAfterMs / 1000)
      return new SpotifyClientError({
        reason: "RateLimited",
        message: error.pastDeadline === true
          ? `Spotify asked us to wait ${seconds} s, longer than this run may take`
          : error.message,
        ...(seconds === undefined ? {} : { retryAfterSeconds: seconds }),
        cause: error
      })
    }
    case "Timeout":
      return new SpotifyClientError({ reason: "Timeout", message: `${endpoint}: ${error.message}`, cause: error })
    case "Status":
      return new SpotifyClientError({
        reason: statusReasons[error.status ?? 0] ?? "BadResponse",
        message: `Spotify answered ${error.status} to ${endpoint}: ${preview(clean(error.body ?? ""))}`
      })
    case "TooLarge":
      return new SpotifyClientError({ reason: "BadResponse", message: `${endpoint}: ${error.message}`, cause: error })
    default:
      return new SpotifyClientError({ reason: "Unavailable", message: `${endpoint}: ${error.message}`, cause: error })
  }
}

const makeSpotifyClient = Effect.gen(function*() {
  const { api } = yield* SpotifyHttp
  const auth = yield* SpotifyAuth

  // Every message built from what the server sent is scrubbed of the tokens we sent it.
  const withToken = (endpoint: string, request: HttpClientRequest.HttpClientRequest) =>
    auth.accessToken.pipe(
      Effect.catchTag("SpotifyAuthError", (cause) =>
        Effect.fail(new SpotifyClientError({ reason: "Auth", message: cause.message, cause }))),
      Effect.flatMap((token) => {
        const clean = (text: string) => scrub(text, [token])
        return api.execute(HttpClientRequest.bearerToken(request, token)).pipe(
          Effect.flatMap((response) => response.text),
          Effect.map((body) => ({ body, clean })),
          Effect.scoped,
          Effect.catchTags({
            SpotifyHttpError: (error) => Effect.fail(clientError(endpoint, clean)(error)),
            ResponseError: (cause) =>
              Effect.fail(new SpotifyClientError({ reason: "BadResponse", message: `${endpoint}: the body is not text`, cause }))
          })
        )
      })
    )

  // One fresh token after a 401 (Spotify expired it early); a second 401 is an answer.
  const get = (endpoint: string, request: HttpClientRequest.HttpClientRequest) =>
    withToken(endpoint, request).pipe(
      Effect.catchIf(
        (error) => error._tag === "SpotifyClientError" && error.reason === "Unauthorized",
        () => Effect.zipRight(auth.invalidate, withToken(endpoint, request))
      )
    )

  const recentlyPlayed = Effect.fn("SpotifyClient.recentlyPlayed")(function*(limit: number) {
    const { body, clean } = yield* get("recently-played", HttpClientRequest.get("/v1/me/player/recently-played", { urlParams: { limit } }))
    const page = yield* Schema.decodeUnknown(PageFromBody)(body).pipe(
      Effect.mapError((error) =>
        new SpotifyClientError({
          reason: "BadResponse",
          message: `Spotify's recently-played page could not be read: ${clean(describeParseError(error))} (the body began ${
            preview(clean(body))
          })`
        })
      )
    )
    if (page.items.length > limit) {
      return yield* new SpotifyClientError({
        reason: "BadResponse",
        message: `Spotify's recently-played page could not be read: ${page.items.length} plays for a limit of ${limit}`
      })
    }
    return { page, body }
  })

  const me = Effect.gen(function*() {
    const { body, clean } = yield* get("/v1/me", HttpClientRequest.get("/v1/me"))
    return yield* Schema.decodeUnknown(SpotifyProfileFromJson)(body).pipe(
      Effect.mapError((error) =>
        new SpotifyClientError({
          reason: "BadResponse",
          message: clean(`Spotify's profile (/v1/me) could not be read: ${describeParseError(error)}`)
        })
      )
    )
  }).pipe(Effect.withSpan("SpotifyClient.me"))

  return { recentlyPlayed, me } satisfies SpotifyClientShape
})

export class SpotifyClient extends Context.Tag("spotify-pipeline/SpotifyClient")<SpotifyClient, SpotifyClientShape>() {
  /** The Web API's `/v1/me/...` over SpotifyHttp, with SpotifyAuth's token. */
  static readonly layer = Layer.effect(SpotifyClient, makeSpotifyClient)
}
