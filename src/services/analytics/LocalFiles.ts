import type * as FileSystem from "@effect/platform/FileSystem"
import type * as Path from "@effect/platform/Path"
import * as Effect from "effect/Effect"

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
