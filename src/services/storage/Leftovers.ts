import type * as FileSystem from "@effect/platform/FileSystem"
import type * as Path from "@effect/platform/Path"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"

/**
 * Removes what killed writers left in `dir` (the entries `isLeftover` names, files or folders)
 * once untouched for `afterMs`, so that it does not grow with every crash, while a writer still at
 * work keeps its own. Never fails: an entry gone meanwhile, or one that cannot be removed, is left.
 */
export const removeLeftovers = (
  fs: FileSystem.FileSystem,
  path: Path.Path,
  dir: string,
  isLeftover: (name: string) => boolean,
  afterMs: number
) =>
  Effect.gen(function*() {
    const now = yield* Clock.currentTimeMillis
    const names = yield* fs.readDirectory(dir)
    yield* Effect.forEach(names.filter(isLeftover), (name) =>
      fs.stat(path.join(dir, name)).pipe(
        Effect.flatMap((info) =>
          Option.exists(info.mtime, (at) => now - at.getTime() > afterMs) ? fs.remove(path.join(dir, name), { recursive: true }) : Effect.void
        ),
        Effect.ignore
      ), { discard: true })
  }).pipe(Effect.ignore)
