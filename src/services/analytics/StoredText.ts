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

/** The texts of `keys` that exist, read `concurrency` at a time, each passed to `keep` as it arrives. */
export const textsOf = <E = never>(
  readText: (key: string) => Effect.Effect<Option.Option<string>, LakeFilesError>,
  keys: ReadonlyArray<string>,
  keep: (key: string, text: string) => Effect.Effect<void, E> = () => Effect.void
): Effect.Effect<ReadonlyMap<string, string>, LakeFilesError | E> =>
  Effect.forEach(keys, (key) =>
    Effect.flatMap(readText(key), Option.match({
      onNone: () => Effect.succeed([]),
      onSome: (text) => Effect.as(keep(key, text), [[key, text] as const])
    })), { concurrency: 16 }).pipe(Effect.map((found) => new Map(found.flat())))

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
  const readText = (key: string) =>
    storage.get(key).pipe(Effect.map(Option.map((object) => object.body)), Effect.mapError(fromStorageError))
  return {
    list: (prefix: string) => storage.list(prefix).pipe(Effect.mapError(fromStorageError)),
    readText,
    // Last writer wins: two builds racing write the same manifest for the same lake.
    writeText: (key: string, body: string) =>
      writeOnce(key, body).pipe(
        Effect.retry({ times: 3, while: (error) => error.reason === "Conflict" }),
        Effect.asVoid,
        Effect.mapError(fromStorageError)
      )
  }
})
