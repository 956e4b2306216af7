import type * as HttpClient from "@effect/platform/HttpClient"
import * as Layer from "effect/Layer"
import type { Lake } from "../services/lake/Lake.js"
import type { StateStore } from "../services/lake/StateStore.js"
import { SpotifyAuth } from "../services/spotify/SpotifyAuth.js"
import { SpotifyClient } from "../services/spotify/SpotifyClient.js"
import { SpotifyHttp } from "../services/spotify/SpotifyHttp.js"
import type { SpotifyConfig } from "../services/spotify/SpotifyConfig.js"
import type { ObjectStorage } from "../services/storage/ObjectStorage.js"
import type { TokenStore } from "../services/tokens/TokenStore.js"
import { layerLake } from "./LakeLayer.js"

/** Spotify's ports, over the app's settings and the token store. */
export const layerSpotify: Layer.Layer<SpotifyClient | SpotifyAuth, never, SpotifyConfig | TokenStore | HttpClient.HttpClient> =
  SpotifyClient.layer.pipe(Layer.provideMerge(SpotifyAuth.layer), Layer.provide(SpotifyHttp.layer))

/**
 * What a sync needs (Lake, StateStore, SpotifyClient, SpotifyAuth), over a core that says where
 * things live: the lake's storage, the token store and the Spotify app's settings. The CLI and
 * the Lambda differ only in their core.
 */
export const layerSync = <E, R>(
  core: Layer.Layer<ObjectStorage | TokenStore | SpotifyConfig, E, R>
): Layer.Layer<Lake | StateStore | SpotifyClient | SpotifyAuth, E, R | HttpClient.HttpClient> =>
  Layer.merge(layerLake, layerSpotify).pipe(Layer.provide(core))
