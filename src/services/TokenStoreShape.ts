import type { Effect, Option } from "effect"
import type { StoredToken } from "../domain/StoredToken.js"
import type { TokenStoreError } from "./TokenStoreError.js"

export interface TokenStoreShape {
  readonly get: Effect.Effect<Option.Option<StoredToken>, TokenStoreError>
  /** Durable when it succeeds: a rotated refresh token must survive a crash right after. */
  readonly set: (token: StoredToken) => Effect.Effect<void, TokenStoreError>
}
