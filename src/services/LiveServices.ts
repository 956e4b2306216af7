import { Layer } from "effect"
import { Lake } from "./Lake.js"
import { layerLakeStorage } from "./LakeLocation.js"
import { SpotifyAuth } from "./SpotifyAuth.js"
import { SpotifyClient } from "./SpotifyClient.js"
import { SpotifyConfig } from "./SpotifyConfig.js"
import { StateStore } from "./StateStore.js"

/**
 * Everything the programs need, from the environment: the lake at `LAKE_URL` (folder or S3)
 * and Spotify at `SPOTIFY_API_URL` / `SPOTIFY_ACCOUNTS_URL`. The platform (HTTP client, file
 * system) comes from the entrypoint.
 */
export const layerLive = Layer.mergeAll(Lake.layer, StateStore.layer, SpotifyClient.layer).pipe(
  Layer.provideMerge(SpotifyAuth.layer),
  Layer.provideMerge(SpotifyConfig.layer),
  Layer.provideMerge(layerLakeStorage)
)

/** The lake alone, for commands that never call Spotify (`status`). */
export const layerLakeOnly = Layer.mergeAll(Lake.layer, StateStore.layer).pipe(Layer.provideMerge(layerLakeStorage))
