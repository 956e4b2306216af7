import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { ObjectStorage, type StorageError } from "../storage/ObjectStorage.js"
import { LakeFilesError } from "./LakeFiles.js"

export const fromStorageError = (error: StorageError) =>
  new LakeFilesError({
    reason: error.reason === "Conflict" ? "Unavailable" : error.reason,
    key: error.key,
    message: error.message,
    cause: error
  })

/** What both adapters do through the lake's ObjectStorage: listing, and the manifest's text. */
export const storedText = Effect.gen(function*() {
  const storage = yield* ObjectStorage
  const writeOnce = (key: string, body: string) =>
    storage.get(key).pipe(
      Effect.flatMap(Option.match({
        onNone: () => storage.putIfAbsent(key, body),
        onSome: (current) => storage.putIfMatch(key, body, current.etag)
      }))
    )
  return {
    list: (prefix: string) => storage.list(prefix).pipe(Effect.mapError(fromStorageError)),
    readText: (key: string) =>
      storage.get(key).pipe(Effect.map(Option.map((object) => object.body)), Effect.mapError(fromStorageError)),
    // Last writer wins: two builds racing write the same manifest for the same lake.
    writeText: (key: string, body: string) =>
      writeOnce(key, body).pipe(
        Effect.retry({ times: 3, while: (error) => error.reason === "Conflict" }),
        Effect.asVoid,
        Effect.mapError(fromStorageError)
      )
  }
})
