import { Data } from "effect"

export class SpotifyAuthError extends Data.TaggedError("SpotifyAuthError")<{
  readonly reason: "NotConnected" | "InvalidClient" | "Unavailable" | "BadResponse" | "TokenStore"
  readonly message: string
  readonly cause?: unknown
}> {}

/** Spotify no longer accepts the refresh token: retrying cannot help, the user must reconnect. */
export class SpotifyAuthRevoked extends Data.TaggedError("SpotifyAuthRevoked")<{
  readonly message: string
}> {}
