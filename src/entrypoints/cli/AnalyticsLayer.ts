import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { LakeLocation } from "../../domain/LakeLocation.js"
import { AnalyticsProject } from "../../services/analytics/AnalyticsProject.js"
import * as DuckDbEngine from "../../services/analytics/DuckDbEngine.js"
import * as FolderLakeFiles from "../../services/analytics/FolderLakeFiles.js"
import type { LakeFiles } from "../../services/analytics/LakeFiles.js"
import * as S3LakeFiles from "../../services/analytics/S3LakeFiles.js"
import type { SqlEngine, SqlError } from "../../services/analytics/SqlEngine.js"
import * as FileSystemStorage from "../../services/storage/FileSystemStorage.js"
import * as S3Storage from "../../services/storage/S3Storage.js"

/*
 * The analytics ports, for the CLI only: kept out of AppLayer so that the Lambda's bundle, which
 * shares AppLayer, never loads DuckDB's native addon.
 */

/** The repository's `analytics/` folder (the SQL models), found from this file in the sources or the bundle. */
const analyticsFolder = Effect.gen(function*() {
  const fs = yield* FileSystem.FileSystem
  const path = yield* Path.Path
  const here = path.dirname(yield* path.fromFileUrl(new URL(import.meta.url)))
  const candidates = [1, 2, 3].map((up) => path.resolve(here, ...Array<string>(up).fill(".."), "analytics"))
  for (const candidate of candidates) if (yield* fs.exists(path.join(candidate, "models"))) return candidate
  return candidates[0] ?? "analytics"
}).pipe(Effect.orDie)

/** Where an S3 lake's objects are cached between runs: SPOTIFY_PIPELINE_CACHE, else the user's cache folder. */
const cacheFolder = (bucket: string, prefix: string) =>
  Effect.gen(function*() {
    const path = yield* Path.Path
    const home = yield* Config.string("HOME").pipe(Config.withDefault("."))
    const userCache = yield* Config.string("XDG_CACHE_HOME").pipe(Config.withDefault(path.join(home, ".cache")))
    const base = yield* Config.string("SPOTIFY_PIPELINE_CACHE").pipe(Config.withDefault(path.join(userCache, "spotify-pipeline")))
    return path.join(base, bucket, ...prefix.split("/").filter((s) => s !== ""))
  })

/** The analytics ports over the lake: the SQL models, an embedded DuckDB, and the lake as files. */
export const layerAnalytics = (
  location: LakeLocation
): Layer.Layer<AnalyticsProject | SqlEngine | LakeFiles, SqlError | ConfigError.ConfigError, FileSystem.FileSystem | Path.Path> =>
  Layer.mergeAll(
    Layer.unwrapEffect(Effect.map(analyticsFolder, AnalyticsProject.layer)),
    DuckDbEngine.layer(),
    LakeLocation.$match(location, {
      Folder: ({ path }) => FolderLakeFiles.layer(path).pipe(Layer.provide(FileSystemStorage.layer(path))),
      S3: ({ bucket, prefix }) =>
        Layer.unwrapEffect(
          Effect.map(cacheFolder(bucket, prefix), (cacheDir) => S3LakeFiles.layer({ cacheDir }))
        ).pipe(Layer.provide(S3Storage.layer({ bucket, prefix })))
    })
  )
