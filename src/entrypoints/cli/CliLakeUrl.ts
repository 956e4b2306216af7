import * as FileSystem from "@effect/platform/FileSystem"
import * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { lakeUrl } from "../LakeLayer.js"

/**
 * `LAKE_URL` for a command of the CLI: a folder lake whose path names something other than a
 * folder (a file, say) is a wrong setting, said as one, before any command reads or writes there.
 */
export const cliLakeUrl = Effect.gen(function*() {
  const lake = yield* lakeUrl
  if (lake.location._tag !== "Folder") return lake
  const fs = yield* FileSystem.FileSystem
  const info = yield* fs.stat(lake.location.path).pipe(Effect.option)
  if (Option.isSome(info) && info.value.type !== "Directory") {
    return yield* Effect.fail(
      ConfigError.InvalidData(
        ["LAKE_URL"],
        `${lake.url} is a ${info.value.type === "File" ? "file" : info.value.type.toLowerCase()}, not a folder`
      )
    )
  }
  return lake
})
