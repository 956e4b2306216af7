import * as Options from "@effect/cli/Options"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { randomUUID } from "node:crypto"
import type { LakeLocation } from "../../domain/LakeLocation.js"
import { defaultSyncOptions, incrementalSync } from "../../programs/IncrementalSync.js"
import { SpotifyConfig } from "../../services/spotify/SpotifyConfig.js"
import { layerLakeStorage } from "./LakeStorage.js"

export const json = Options.boolean("json").pipe(Options.withDescription("print the result as one JSON line"))

/** One sync run, named by a fresh id in the lease. */
export const runSync = Effect.suspend(() => incrementalSync({ ...defaultSyncOptions, runId: randomUUID() }))

/** The CLI's core: the lake at `LAKE_URL` with the token store beside it, and Spotify's settings from the environment. */
export const layerCore = (location: LakeLocation) => Layer.merge(layerLakeStorage(location), SpotifyConfig.layer)

/** Node's HTTP client, loaded only by the commands that talk to Spotify: `status` never loads node:https. */
export const layerHttpClient = Layer.unwrapEffect(
  Effect.map(Effect.promise(() => import("@effect/platform-node/NodeHttpClient")), (http) => http.layer)
)

export const printLines = (lines: ReadonlyArray<string>) => Effect.forEach(lines, (line) => Console.log(line), { discard: true })
