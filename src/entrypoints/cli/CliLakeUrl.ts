import * as FileSystem from "@effect/platform/FileSystem"
import * as ConfigError from "effect/ConfigError"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { lakeUrl } from "../LakeLayer.js"

/** LAKE_URL names a folder that is not there: the models would build over nothing (and make the folder). */
class NoLake extends Data.TaggedError("NoLake")<{ readonly message: string }> {}

/**
 * `LAKE_URL`, its folder's path looked at once: one naming something other than a folder (a file,
 * say) is a wrong setting, said as one, before any command reads or writes there; with `mustExist`
 * (a command that only reads the lake), one naming nothing is refused too, where a mistyped path
 * would otherwise answer nothing.
 */
const checkedLakeUrl = (mustExist: boolean) =>
  Effect.gen(function*() {
    const lake = yield* lakeUrl
    if (lake.location._tag !== "Folder") return lake
    const fs = yield* FileSystem.FileSystem
    const found = yield* fs.stat(lake.location.path).pipe(Effect.option)
    if (Option.isSome(found) && found.value.type !== "Directory") {
      return yield* Effect.fail(
        ConfigError.InvalidData(["LAKE_URL"], `${lake.url} is a ${found.value.type === "File" ? "file" : found.value.type.toLowerCase()}, not a folder`)
      )
    }
    if (mustExist && Option.isNone(found)) {
      return yield* new NoLake({ message: `No lake at ${lake.url}: the folder does not exist (check LAKE_URL; a sync or an import makes it).` })
    }
    return lake
  })

/** `LAKE_URL` for a command of the CLI that may make the lake (sync, import, login, status). */
export const cliLakeUrl = checkedLakeUrl(false)

/** `LAKE_URL` for a command that only reads the lake (models, query, report). */
export const existingLakeUrl = checkedLakeUrl(true)
