import { Data } from "effect"

/** The code exchange failed; messages never quote the code, the verifier or a token. */
export class SpotifyAccountsError extends Data.TaggedError("SpotifyAccountsError")<{
  readonly reason: "InvalidClient" | "InvalidGrant" | "Unavailable" | "BadResponse"
  readonly message: string
  readonly cause?: unknown
}> {}
