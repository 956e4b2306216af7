import type * as FileSystem from "@effect/platform/FileSystem"
import type * as Path from "@effect/platform/Path"
import * as Effect from "effect/Effect"
import { contentName } from "../../domain/analytics/Fingerprint.js"
import { sha256Hex } from "../../domain/Sha256.js"
import { removeLeftovers } from "../storage/Leftovers.js"

/** Every regular file under `folder` with its bytes and its "/"-separated path relative to the folder, sorted. */
export const localFiles = (fs: FileSystem.FileSystem, path: Path.Path, folder: string) =>
  fs.readDirectory(folder, { recursive: true }).pipe(
    Effect.map((names) => [...names].sort()),
    Effect.flatMap(Effect.forEach((name) =>
      fs.stat(path.join(folder, name)).pipe(
        Effect.flatMap((info) =>
          info.type === "File"
            ? fs.readFile(path.join(folder, name)).pipe(
              Effect.map((bytes) => [{ bytes, file: path.join(folder, name), relative: name.split(path.sep).join("/") }])
            )
            : Effect.succeed([])
        )
      )
    )),
    Effect.map((found) => found.flat())
  )

/** The files under `folder` with the keys they get under `prefix`, each named by its content. */
export const contentNamedFiles = (fs: FileSystem.FileSystem, path: Path.Path, folder: string, prefix: string) =>
  localFiles(fs, path, folder).pipe(
    Effect.map((files) =>
      files.map(({ bytes, file, relative }) => {
        const digest = sha256Hex(bytes)
        return { file, bytes, key: `${prefix}${contentName(relative, digest)}`, sha256: digest }
      })
    )
  )

/** A build folder untouched this long belongs to no build still running: builds take seconds to minutes. */
const abandonedAfterMs = 60 * 60 * 1000

/**
 * A fresh build folder (`.build-*`) under `parent`, removed when the scope closes; the build
 * folders a killed build left there (untouched for an hour) are removed first, so that they do not
 * pile up, each as large as the warehouse, while a build running beside this one keeps its own.
 */
export const buildFolder = (fs: FileSystem.FileSystem, path: Path.Path, parent: string) =>
  Effect.gen(function*() {
    yield* fs.makeDirectory(parent, { recursive: true })
    yield* removeLeftovers(fs, path, parent, (name) => name.startsWith(".build-"), abandonedAfterMs)
    return yield* fs.makeTempDirectoryScoped({ directory: parent, prefix: ".build-" })
  })
