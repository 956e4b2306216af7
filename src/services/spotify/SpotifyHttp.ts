import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { flow } from "effect/Function"
import * as Layer from "effect/Layer"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import { BufferedResponse } from "./BufferedResponse.js"
import { connectionFailure } from "./ConnectionFailure.js"
import { RunDeadline } from "./RunDeadline.js"
import { SpotifyConfig } from "./SpotifyConfig.js"

/**
 * Why a request to Spotify got no usable answer:
 * - `Refused`, `NameNotFound`: the request never reached Spotify (connection refused, DNS);
 * - `Tls`, `Network`, `Timeout`: no answer, or a broken one; the request may have been processed;
 * - `RateLimited` (429), `ServerError` (5xx), `Status` (any other non-2xx; `body` says more);
 * - `TooLarge`: the body is bigger than any real answer, so it was not read.
 */
export class SpotifyHttpError extends Data.TaggedError("SpotifyHttpError")<{
  readonly reason: "Refused" | "NameNotFound" | "Tls" | "Network" | "Timeout" | "RateLimited" | "ServerError" | "Status" | "TooLarge"
  readonly message: string
  readonly status?: number
  /** The answer's body, for `Status`: the caller reads Spotify's error from it. */
  readonly body?: string
  /** For `RateLimited`: how long Spotify asked us to wait. */
  readonly retryAfterMs?: number
  /** Set when a `Retry-After` would end after the run's deadline, so the run stops waiting. */
  readonly pastDeadline?: boolean
  readonly cause?: unknown
}> {}

export type SpotifyHttpClient = HttpClient.HttpClient.With<SpotifyHttpError>

export interface SpotifyHttpShape {
  /** The Web API at `SPOTIFY_API_URL`; retried by `apiRetry`. */
  readonly api: SpotifyHttpClient
  /** The accounts service at `SPOTIFY_ACCOUNTS_URL`, retried only when the request cannot have reached Spotify (a refresh may rotate the token). */
  readonly accounts: SpotifyHttpClient
  /** The accounts service, never retried: an authorisation code is single-use. */
  readonly accountsOnce: SpotifyHttpClient
}

export interface SpotifyHttpOptions {
  /** Per attempt, the body included. */
  readonly attemptTimeout: Duration.DurationInput
  /** A real recently-played page is a few hundred KB; anything far beyond is refused unread. */
  readonly maxBodyBytes: number
}

export const defaultSpotifyHttpOptions: SpotifyHttpOptions = { attemptTimeout: "20 seconds", maxBodyBytes: 2 * 1024 * 1024 }

/** The request never left: a second try soon catches a blip, and a server that is down is reported in about a second. */
export const unsentRetry = Schedule.exponential("200 millis").pipe(Schedule.intersect(Schedule.recurs(2)))

/** 429 waits exactly `Retry-After` (never sooner); 5xx, timeouts and broken connections back off with jitter. */
export const apiRetry = Schedule.exponential("1 second", 2).pipe(
  Schedule.jittered,
  Schedule.intersect(Schedule.recurs(5)),
  Schedule.zipRight(Schedule.identity<SpotifyHttpError>()),
  Schedule.modifyDelay((error, backoff) => error.retryAfterMs === undefined ? backoff : Duration.millis(error.retryAfterMs))
)

const isUnsent = (error: SpotifyHttpError) => error.reason === "Refused" || error.reason === "NameNotFound"

const isTransient = (error: SpotifyHttpError) =>
  error.reason === "ServerError" || error.reason === "Timeout" || error.reason === "Network" ||
  (error.reason === "RateLimited" && error.pastDeadline !== true)

const parseRetryAfterMs = (value: string | undefined): number | undefined =>
  value === undefined || !/^\s*\d+\s*$/.test(value) ? undefined : Number(value.trim()) * 1000

const tooLarge = (url: string, maxBytes: number) =>
  new SpotifyHttpError({ reason: "TooLarge", message: `${url} answered with more than ${maxBytes} bytes; no real answer is that big` })

/** Reads the whole body within the attempt, refusing it past `maxBytes`, into a response that can be read again. */
const buffered = (maxBytes: number) => (response: HttpClientResponse.HttpClientResponse) =>
  Effect.gen(function*() {
    const url = response.request.url
    const declared = Number(response.headers["content-length"] ?? "0")
    if (declared > maxBytes) return yield* tooLarge(url, maxBytes)
    const chunks: Array<Uint8Array> = []
    let size = 0
    yield* Stream.runForEach(response.stream, (chunk) => {
      size += chunk.length
      chunks.push(chunk)
      return size > maxBytes ? Effect.fail(tooLarge(url, maxBytes)) : Effect.void
    })
    return new BufferedResponse(response, Buffer.concat(chunks, size))
  })

const fromRequestError = (error: HttpClientError.HttpClientError): SpotifyHttpError => {
  if (error._tag === "ResponseError") {
    return new SpotifyHttpError({ reason: "Network", message: `the answer from ${error.request.url} broke off`, cause: error })
  }
  const failure = connectionFailure(error.cause)
  return new SpotifyHttpError({
    reason: failure.reason,
    message: `could not reach ${error.request.url}: ${failure.description}`,
    cause: error
  })
}

/** A non-2xx answer as a typed error; its body was read within the attempt. */
const statusError = (response: HttpClientResponse.HttpClientResponse) =>
  Effect.gen(function*() {
    const { status } = response
    const url = response.request.url
    if (status === 429) {
      const header = response.headers["retry-after"]
      const retryAfterMs = parseRetryAfterMs(header)
      const now = yield* Clock.currentTimeMillis
      const deadline = yield* RunDeadline
      return new SpotifyHttpError({
        reason: "RateLimited",
        status,
        message: `rate limited by Spotify (Retry-After: ${header ?? "none"})`,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs, pastDeadline: now + retryAfterMs > deadline.atMs })
      })
    }
    if (status >= 500) return new SpotifyHttpError({ reason: "ServerError", status, message: `Spotify answered ${status} to ${url}` })
    const body = yield* response.text.pipe(Effect.orElseSucceed(() => ""))
    return new SpotifyHttpError({ reason: "Status", status, body, message: `Spotify answered ${status} to ${url}` })
  })

/** Base URL and JSON, one attempt bounded in time and size, non-2xx answers as typed errors. */
export const configure = (http: HttpClient.HttpClient, baseUrl: string, options: SpotifyHttpOptions): SpotifyHttpClient =>
  http.pipe(
    HttpClient.mapRequest(flow(HttpClientRequest.prependUrl(baseUrl), HttpClientRequest.acceptJson)),
    HttpClient.transformResponse((response) =>
      response.pipe(
        Effect.flatMap(buffered(options.maxBodyBytes)),
        Effect.mapError((error) => error._tag === "SpotifyHttpError" ? error : fromRequestError(error)),
        Effect.timeoutFail({
          duration: options.attemptTimeout,
          onTimeout: () =>
            new SpotifyHttpError({ reason: "Timeout", message: `no answer within ${Duration.format(options.attemptTimeout)}` })
        })
      )
    ),
    HttpClient.filterStatusOk,
    HttpClient.catchTag("ResponseError", (error) => Effect.flatMap(statusError(error.response), Effect.fail))
  )

const retried = (schedule: Schedule.Schedule<unknown, SpotifyHttpError>, retryable: (error: SpotifyHttpError) => boolean) =>
  (client: SpotifyHttpClient): SpotifyHttpClient =>
    client.pipe(
      HttpClient.tapError((error) =>
        retryable(error) ? Effect.logInfo(`${error.message}; retrying if the policy allows`) : Effect.void
      ),
      HttpClient.retry({ schedule, while: retryable })
    )

const make = (options: SpotifyHttpOptions) =>
  Effect.gen(function*() {
    const config = yield* SpotifyConfig
    const http = yield* HttpClient.HttpClient
    const accountsOnce = configure(http, config.accountsUrl, options)
    return {
      api: configure(http, config.apiUrl, options).pipe(retried(unsentRetry, isUnsent), retried(apiRetry, isTransient)),
      accounts: retried(unsentRetry, isUnsent)(accountsOnce),
      accountsOnce
    } satisfies SpotifyHttpShape
  })

/** The HTTP clients for Spotify, built once from its settings: every request to Spotify goes through them. */
export class SpotifyHttp extends Context.Tag("spotify-pipeline/SpotifyHttp")<SpotifyHttp, SpotifyHttpShape>() {
  /** Needs SpotifyConfig and an HttpClient. */
  static readonly layer = Layer.effect(SpotifyHttp, make(defaultSpotifyHttpOptions))

  static readonly layerOptions = (options: SpotifyHttpOptions) => Layer.effect(SpotifyHttp, make(options))
}
