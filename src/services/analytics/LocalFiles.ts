import type * as FileSystem from "@effect/platform/FileSystem"
import type * as Path from "@effect/platform/Path"
import * as Effect from "effect/Effect"
import { contentName } from "../../domain/analytics/Fingerprint.js"
import { sha256Hex } from "../../domain/Sha256.js"

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
