import { Data } from "effect"

/** `Corrupt`: the stored token cannot be read (its message never quotes the token); `Unavailable`: the store failed. */
export class TokenStoreError extends Data.TaggedError("TokenStoreError")<{
  readonly reason: "Unavailable" | "Corrupt"
  readonly message: string
  readonly cause?: unknown
}> {}
