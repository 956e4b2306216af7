import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { LakeLocation } from "../../domain/LakeLocation.js"
import { nodeCrypto } from "../../domain/LazyBuiltins.js"
import { defaultSyncOptions, incrementalSync } from "../../programs/IncrementalSync.js"
import { SpotifyConfig } from "../../services/spotify/SpotifyConfig.js"
import { layerLakeStorage } from "./LakeStorage.js"

// What the commands that talk to Spotify share (sync, login, demo): loaded only when one runs.

/** One sync run, named by a fresh id in the lease. */
export const runSync = Effect.suspend(() => incrementalSync({ ...defaultSyncOptions, runId: nodeCrypto().randomUUID() }))

/** The CLI's core: the lake at `LAKE_URL` with the token store beside it, and Spotify's settings from the environment. */
export const layerCore = (location: LakeLocation) => Layer.merge(layerLakeStorage(location), SpotifyConfig.layer)

/** Node's HTTP client (node:http, never undici), in a chunk of its own. */
export const layerHttpClient = Layer.unwrapEffect(
  Effect.map(Effect.promise(() => import("@effect/platform-node/NodeHttpClient")), (http) => http.layer)
)
