import { Data } from "effect"

/** The one command that connects (or reconnects) a Spotify account. */
export const reconnectCommand = "npm start -- login"

export class SpotifyAuthError extends Data.TaggedError("SpotifyAuthError")<{
  readonly reason: "NotConnected" | "InvalidClient" | "Unavailable" | "BadResponse" | "TokenStore"
  readonly message: string
  readonly cause?: unknown
}> {}

/** Spotify no longer accepts the refresh token: retrying cannot help, the user must reconnect. */
export class SpotifyAuthRevoked extends Data.TaggedError("SpotifyAuthRevoked")<{
  readonly message: string
}> {}
