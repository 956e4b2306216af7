import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import type { PlatformError } from "@effect/platform/Error"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { isValidKey } from "../storage/ObjectStorage.js"
import type { ObjectStorage } from "../storage/ObjectStorage.js"
import { LakeFiles, LakeFilesError } from "./LakeFiles.js"
import { buildFolder, contentNamedFiles } from "./LocalFiles.js"
import { storedText, textsOf } from "./StoredText.js"

const failed = (key: string, action: string) => (error: PlatformError) =>
  new LakeFilesError({ reason: "Unavailable", key, message: `Could not ${action} ${key}: ${error.message}`, cause: error })

const make = (lake: string) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const text = yield* storedText
    const root = path.resolve(lake)
    const fileOf = (key: string) =>
      isValidKey(key)
        ? Effect.succeed(path.join(root, ...key.split("/")))
        : Effect.fail(new LakeFilesError({ reason: "Invalid", key, message: `Invalid key ${JSON.stringify(key)}` }))
    return {
      ...text,
      localise: Effect.fn("LakeFiles.localise")(function*(_keys: ReadonlyArray<string>) {
        return { root, fetched: 0 }
      }),
      // The engine reads the lake itself: the objects as read now are what it sees.
      readFresh: Effect.fn("LakeFiles.readFresh")(function*(keys: ReadonlyArray<string>) {
        return yield* textsOf(text.readText, keys)
      }),
      // Inside the lake, so publishing is a rename; the dot keeps it out of every listing.
      scratch: buildFolder(fs, path, path.join(root, "warehouse")).pipe(
        Effect.mapError(failed("warehouse/", "make a build folder in")),
        Effect.withSpan("LakeFiles.scratch")
      ),
      publishFolder: Effect.fn("LakeFiles.publishFolder")(function*(folder: string, prefix: string) {
        const files = yield* contentNamedFiles(fs, path, folder, prefix).pipe(Effect.mapError(failed(prefix, "read the build of")))
        return yield* Effect.forEach(files, ({ bytes, file, key, sha256 }) =>
          Effect.gen(function*() {
            const target = yield* fileOf(key)
            yield* fs.makeDirectory(path.dirname(target), { recursive: true }).pipe(
              Effect.zipRight(fs.rename(file, target)),
              Effect.mapError(failed(key, "write"))
            )
            return { key, sha256, bytes: bytes.length }
          }))
      }),
      remove: Effect.fn("LakeFiles.remove")(function*(key: string) {
        yield* fs.remove(yield* fileOf(key), { force: true }).pipe(Effect.mapError(failed(key, "remove")))
      })
    } satisfies typeof LakeFiles.Service
  })

/** A folder lake: the engine reads the lake's own files, and the warehouse is written beside them. */
export const layer = (lake: string): Layer.Layer<LakeFiles, never, FileSystem.FileSystem | Path.Path | ObjectStorage> =>
  Layer.effect(LakeFiles, make(lake))
