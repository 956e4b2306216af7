import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import { type LakeLocation, parseLakeUrl } from "../domain/LakeLocation.js"
import { Lake } from "../services/lake/Lake.js"
import { StateStore } from "../services/lake/StateStore.js"
import type { ObjectStorage } from "../services/storage/ObjectStorage.js"

// Where the lake is and its ports: what every command needs, apart from Spotify's (AppLayer).

const defaultLake = "./data"

/**
 * `LAKE_URL`, read here and nowhere else: a folder path (default `./data`) or `s3://bucket/prefix`.
 * Set but empty (as cron environments leave it) means unset: never the working directory by accident.
 */
export const lakeUrl: Config.Config<{ readonly url: string; readonly location: LakeLocation }> = Config.string("LAKE_URL").pipe(
  Config.withDefault(defaultLake),
  Config.map((url) => url.trim() === "" ? defaultLake : url.trim()),
  Config.mapOrFail((url) =>
    Either.map(
      Either.mapLeft(parseLakeUrl(url), (message) => ConfigError.InvalidData([], message)),
      (location) => ({ url, location })
    )
  )
)

/** The lake's ports, over its storage. */
export const layerLake: Layer.Layer<Lake | StateStore, never, ObjectStorage> = Layer.merge(Lake.layer, StateStore.layer)
