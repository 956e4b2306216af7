import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { type StoredToken, StoredTokenFromJson } from "../../domain/StoredToken.js"

/** `Corrupt`: the stored token cannot be read (its message never quotes the token); `Unavailable`: the store failed. */
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

/**
 * Where the Spotify refresh token lives between runs. Adapters, each exporting its `layer`:
 * MemoryTokenStore, FileTokenStore, ObjectStorageTokenStore, SecretsManagerTokenStore.
 */
export class TokenStore extends Context.Tag("spotify-pipeline/TokenStore")<TokenStore, TokenStoreShape>() {}

const decode = Schema.decodeUnknown(StoredTokenFromJson, { errors: "all" })

/** JSON text of a token, unredacted: only ever written to the store itself. */
export const encodeStoredToken = (token: StoredToken): Effect.Effect<string, TokenStoreError> =>
  Schema.encode(StoredTokenFromJson)(token).pipe(
    Effect.mapError(() => new TokenStoreError({ reason: "Corrupt", message: "The Spotify token to store is not valid" }))
  )

/**
 * Parse issues quote the input, which holds the refresh token: the message names only the
 * source and the fields at fault, and the parse error is not kept as the cause.
 */
export const decodeStoredToken = (source: string, text: string): Effect.Effect<StoredToken, TokenStoreError> =>
  decode(text).pipe(
    Effect.mapError((error) => {
      const fields = [
        ...new Set(
          ParseResult.ArrayFormatter.formatErrorSync(error)
            .filter((issue) => issue.path.length > 0)
            .map((issue) => issue.path.map(String).join("."))
        )
      ]
      const problem = fields.length === 0 ? "it is not valid JSON" : `bad or missing field(s): ${fields.join(", ")}`
      return new TokenStoreError({
        reason: "Corrupt",
        message: `The stored Spotify token in ${source} is corrupt (${problem}); fix or delete it and reconnect`
      })
    })
  )
