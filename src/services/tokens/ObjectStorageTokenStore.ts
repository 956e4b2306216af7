import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import type { StoredToken } from "../../domain/StoredToken.js"
import { ObjectStorage, type StorageError } from "../storage/ObjectStorage.js"
import { decodeStoredToken, encodeStoredToken, TokenStore, TokenStoreError } from "./TokenStore.js"

const unavailable = (key: string, action: string) => (cause: StorageError) =>
  new TokenStoreError({ reason: "Unavailable", message: `Could not ${action} the token at ${key}: ${cause.message}`, cause })

const make = (key: string) =>
  Effect.gen(function*() {
    const storage = yield* ObjectStorage

    const get = storage.get(key).pipe(
      Effect.mapError(unavailable(key, "read")),
      Effect.flatMap(Option.match({
        onNone: () => Effect.succeed(Option.none<StoredToken>()),
        onSome: (object) => decodeStoredToken(key, object.body).pipe(Effect.map(Option.some))
      }))
    )

    // A racing writer makes our CAS conflict; the latest token wins, so read again and replace it.
    const replace = (text: string) =>
      storage.get(key).pipe(
        Effect.flatMap(Option.match({
          onNone: () => storage.putIfAbsent(key, text),
          onSome: (object) => storage.putIfMatch(key, text, object.etag)
        })),
        Effect.retry({ schedule: Schedule.recurs(10), while: (error) => error.reason === "Conflict" })
      )

    return {
      get: get.pipe(Effect.withSpan("TokenStore.get")),
      set: Effect.fn("TokenStore.set")(function*(token: StoredToken) {
        const text = yield* encodeStoredToken(token)
        yield* replace(text).pipe(Effect.mapError(unavailable(key, "write")))
      })
    } satisfies typeof TokenStore.Service
  })

/** One JSON object at `key` in the lake's object store, replaced by compare-and-swap (created create-only the first time). */
export const layer = (key: string): Layer.Layer<TokenStore, never, ObjectStorage> => Layer.effect(TokenStore, make(key))
