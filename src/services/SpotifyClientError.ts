import { Data } from "effect"

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
