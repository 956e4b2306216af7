import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import type { PlatformError } from "@effect/platform/Error"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { ObjectStorage } from "../storage/ObjectStorage.js"
import { LakeFiles, LakeFilesError } from "./LakeFiles.js"
import { buildFolder, contentNamedFiles } from "./LocalFiles.js"
import { fromStorageError, storedText, textsOf } from "./StoredText.js"

export interface S3LakeFilesOptions {
  /**
   * A local folder kept between runs: a data object is immutable, so its cached copy never goes
   * stale; state objects, which may change in place, are read afresh by every build (`readFresh`).
   */
  readonly cacheDir: string
}

const localFailed = (key: string, action: string) => (error: PlatformError) =>
  new LakeFilesError({ reason: "Unavailable", key, message: `Could not ${action} the cached ${key}: ${error.message}`, cause: error })

const make = (options: S3LakeFilesOptions) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const storage = yield* ObjectStorage
    const text = yield* storedText
    const root = path.resolve(options.cacheDir)
    const cached = (key: string) => path.join(root, ...key.split("/"))

    const download = (key: string) =>
      storage.getBytes(key).pipe(
        Effect.mapError(fromStorageError),
        Effect.flatMap(Option.match({
          onNone: () => Effect.fail(new LakeFilesError({ reason: "Invalid", key, message: `${key} is listed but gone` })),
          onSome: (object) => Effect.succeed(object.bytes)
        }))
      )

    const keep = (key: string, write: (file: string) => Effect.Effect<void, PlatformError>) =>
      Effect.gen(function*() {
        const file = cached(key)
        const partial = `${file}.${process.pid}.partial`
        yield* fs.makeDirectory(path.dirname(file), { recursive: true })
        yield* write(partial)
        yield* fs.rename(partial, file)
      }).pipe(Effect.mapError(localFailed(key, "write")))

    // The copy is renamed into place unsynced: a machine that lost power may keep it empty, which no
    // object of the lake is (each holds a line at least), so an empty copy is fetched again.
    const fetchMissing = (key: string) =>
      fs.stat(cached(key)).pipe(
        Effect.map((info) => info.type === "File" && info.size > 0),
        Effect.catchIf((error) => error._tag === "SystemError" && error.reason === "NotFound", () => Effect.succeed(false)),
        Effect.mapError(localFailed(key, "read")),
        Effect.flatMap((present) =>
          present
            ? Effect.succeed(0)
            : download(key).pipe(Effect.flatMap((bytes) => keep(key, (file) => fs.writeFile(file, bytes))), Effect.as(1))
        )
      )

    return {
      ...text,
      localise: Effect.fn("LakeFiles.localise")(function*(keys: ReadonlyArray<string>) {
        const fetched = yield* Effect.forEach(keys, fetchMissing, { concurrency: 16 })
        return { root, fetched: fetched.reduce((sum, n) => sum + n, 0) }
      }),
      // Read afresh, and the cached copy replaced with what was read: a state object may have changed in place.
      readFresh: Effect.fn("LakeFiles.readFresh")(function*(keys: ReadonlyArray<string>) {
        return yield* textsOf(text.readText, keys, (key, body) => keep(key, (file) => fs.writeFileString(file, body)))
      }),
      scratch: buildFolder(fs, path, root).pipe(
        Effect.mapError(localFailed("warehouse/", "make a build folder beside")),
        Effect.withSpan("LakeFiles.scratch")
      ),
      publishFolder: Effect.fn("LakeFiles.publishFolder")(function*(folder: string, keyPrefix: string) {
        const files = yield* contentNamedFiles(fs, path, folder, keyPrefix).pipe(
          Effect.mapError(localFailed(keyPrefix, "read the build of"))
        )
        return yield* Effect.forEach(files, ({ bytes, file, key, sha256 }) =>
          Effect.gen(function*() {
            yield* storage.put(key, bytes).pipe(Effect.mapError(fromStorageError))
            yield* keep(key, (partial) => fs.rename(file, partial))
            return { key, sha256, bytes: bytes.length }
          }))
      }),
      remove: Effect.fn("LakeFiles.remove")(function*(key: string) {
        yield* storage.remove(key).pipe(Effect.mapError(fromStorageError))
        yield* fs.remove(cached(key), { force: true }).pipe(Effect.mapError(localFailed(key, "remove")))
      })
    } satisfies typeof LakeFiles.Service
  })

/** An S3 lake, read through the lake's ObjectStorage into a local cache that fetches only the objects it lacks; Parquet is written back through it. */
export const layer = (
  options: S3LakeFilesOptions
): Layer.Layer<LakeFiles, never, FileSystem.FileSystem | Path.Path | ObjectStorage> => Layer.effect(LakeFiles, make(options))
