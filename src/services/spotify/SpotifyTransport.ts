import type * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Clock from "effect/Clock"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import { RunDeadline } from "./RunDeadline.js"

/** A status and body read in full within one attempt's timeout. */
export interface SpotifyReply {
  readonly status: number
  readonly body: string
}

/** A failure worth retrying: rate limits, server errors, timeouts, broken connections. */
export class TransientFailure extends Data.TaggedError("TransientFailure")<{
  readonly reason: "RateLimited" | "ServerError" | "Timeout" | "Network"
  readonly message: string
  readonly status?: number
  readonly retryAfterMs?: number
  /** Set when a `Retry-After` would end after the run's deadline, so the run stops waiting. */
  readonly pastDeadline?: boolean
  readonly cause?: unknown
}> {}

export interface TransportOptions {
  readonly attemptTimeout: Duration.DurationInput
  readonly retries: number
  readonly backoffBase: Duration.DurationInput
}

export const defaultTransportOptions: TransportOptions = {
  attemptTimeout: "20 seconds",
  retries: 5,
  backoffBase: "1 second"
}

const parseRetryAfterMs = (value: string | undefined): number | undefined => {
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) return undefined
  return Number(value.trim()) * 1000
}

const attempt = (
  client: HttpClient.HttpClient,
  request: HttpClientRequest.HttpClientRequest,
  timeout: Duration.DurationInput,
  deadlineMs: number
) =>
  client.execute(request).pipe(
    Effect.flatMap((response) =>
      response.text.pipe(
        Effect.map((body) => ({ status: response.status, body, retryAfter: response.headers["retry-after"] }))
      )
    ),
    Effect.scoped,
    Effect.mapError((cause) =>
      new TransientFailure({ reason: "Network", message: `could not reach ${request.url}: ${cause.message}`, cause })
    ),
    Effect.timeoutFail({
      duration: timeout,
      onTimeout: () =>
        new TransientFailure({ reason: "Timeout", message: `no answer from ${request.url} within ${Duration.format(timeout)}` })
    }),
    Effect.flatMap((reply) => {
      if (reply.status === 429) {
        const retryAfterMs = parseRetryAfterMs(reply.retryAfter)
        return Clock.currentTimeMillis.pipe(
          Effect.flatMap((now) =>
            Effect.fail(
              new TransientFailure({
                reason: "RateLimited",
                status: 429,
                message: `rate limited by Spotify (Retry-After: ${reply.retryAfter ?? "none"})`,
                ...(retryAfterMs === undefined ? {} : { retryAfterMs, pastDeadline: now + retryAfterMs > deadlineMs })
              })
            )
          )
        )
      }
      if (reply.status >= 500) {
        return Effect.fail(
          new TransientFailure({ reason: "ServerError", status: reply.status, message: `Spotify answered ${reply.status}` })
        )
      }
      return Effect.succeed<SpotifyReply>({ status: reply.status, body: reply.body })
    })
  )

/**
 * Sends one request with the one retry policy of the Spotify transport: exponential backoff
 * for server errors, timeouts and broken connections; for 429 exactly the `Retry-After`
 * (never sooner), unless waiting would outlive the run's deadline. Non-transient statuses
 * (2xx, 4xx) are returned for the caller to interpret.
 */
export const send = Effect.fn("SpotifyTransport.send")(function*(
  client: HttpClient.HttpClient,
  request: HttpClientRequest.HttpClientRequest,
  options: TransportOptions = defaultTransportOptions
) {
  const deadline = yield* RunDeadline
  const policy = Schedule.exponential(options.backoffBase, 2).pipe(
    Schedule.intersect(Schedule.recurs(options.retries)),
    Schedule.zipRight(Schedule.identity<TransientFailure>()),
    Schedule.modifyDelay((failure, backoff) =>
      failure.retryAfterMs === undefined ? backoff : Duration.millis(failure.retryAfterMs)
    )
  )
  return yield* attempt(client, request, options.attemptTimeout, deadline.atMs).pipe(
    Effect.tapError((failure) => Effect.logInfo(`${failure.message}; retrying if the policy allows`)),
    Effect.retry({ schedule: policy, while: (failure) => failure.pastDeadline !== true })
  )
})

