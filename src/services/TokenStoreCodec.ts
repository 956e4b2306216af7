import { Effect, ParseResult, Schema } from "effect"
import { type StoredToken, StoredTokenFromJson } from "../domain/StoredToken.js"
import { TokenStoreError } from "./TokenStoreError.js"

const decode = Schema.decodeUnknown(StoredTokenFromJson, { errors: "all" })

/** JSON text of a token, unredacted: only ever written to the store itself. */
export const encodeStoredToken = Schema.encode(StoredTokenFromJson)

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
