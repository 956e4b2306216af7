import { Context, Data, type Effect, type Option } from "effect"
import type { StoredToken } from "../domain/StoredToken.js"

export class TokenStoreError extends Data.TaggedError("TokenStoreError")<{
  readonly reason: "Unavailable" | "Corrupt"
  readonly message: string
  readonly cause?: unknown
}> {}

export interface TokenStoreShape {
  readonly get: Effect.Effect<Option.Option<StoredToken>, TokenStoreError>
  /** Durable when it succeeds: a rotated refresh token must survive a crash right after. */
  readonly set: (token: StoredToken) => Effect.Effect<void, TokenStoreError>
}

/** Where the Spotify refresh token lives between runs. */
export class TokenStore extends Context.Tag("spotify-pipeline/TokenStore")<TokenStore, TokenStoreShape>() {}
