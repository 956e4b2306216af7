import type * as FileSystem from "@effect/platform/FileSystem"
import type * as Path from "@effect/platform/Path"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import { LakeLocation, parseLakeUrl } from "../domain/LakeLocation.js"
import { Lake } from "../services/lake/Lake.js"
import { StateStore } from "../services/lake/StateStore.js"
import { SpotifyAuth } from "../services/spotify/SpotifyAuth.js"
import { SpotifyClient } from "../services/spotify/SpotifyClient.js"
import type { SpotifyConfig } from "../services/spotify/SpotifyConfig.js"
import * as FileSystemStorage from "../services/storage/FileSystemStorage.js"
import type { ObjectStorage } from "../services/storage/ObjectStorage.js"
import * as S3Storage from "../services/storage/S3Storage.js"
import * as FileTokenStore from "../services/tokens/FileTokenStore.js"
import * as ObjectStorageTokenStore from "../services/tokens/ObjectStorageTokenStore.js"
import type { TokenStore } from "../services/tokens/TokenStore.js"

/** `LAKE_URL`, read here and nowhere else: a folder path (default `./data`) or `s3://bucket/prefix`. */
export const lakeUrl: Config.Config<{ readonly url: string; readonly location: LakeLocation }> = Config.string("LAKE_URL").pipe(
  Config.withDefault("./data"),
  Config.map((url) => url.trim()),
  Config.mapOrFail((url) =>
    Either.map(
      Either.mapLeft(parseLakeUrl(url), (message) => ConfigError.InvalidData([], message)),
      (location) => ({ url, location })
    )
  )
)

/** Where `login` keeps the refresh token, beside the lake. */
const tokenKey = "state/token.json"

/** The lake's storage and the token store beside it: files in a folder, or objects in S3. */
export const layerLakeStorage = (
  location: LakeLocation
): Layer.Layer<ObjectStorage | TokenStore, ConfigError.ConfigError, FileSystem.FileSystem | Path.Path> =>
  LakeLocation.$match(location, {
    Folder: ({ path }) => Layer.merge(FileSystemStorage.layer(path), FileTokenStore.layer(`${path}/${tokenKey}`)),
    S3: ({ bucket, prefix }) =>
      ObjectStorageTokenStore.layer(tokenKey).pipe(Layer.provideMerge(S3Storage.layer({ bucket, prefix })))
  })

/** The lake's ports, over its storage. */
export const layerLake: Layer.Layer<Lake | StateStore, never, ObjectStorage> = Layer.merge(Lake.layer, StateStore.layer)

/** Spotify's ports, over the app's settings and the token store. */
export const layerSpotify: Layer.Layer<SpotifyClient | SpotifyAuth, never, SpotifyConfig | TokenStore | HttpClient.HttpClient> =
  SpotifyClient.layer.pipe(Layer.provideMerge(SpotifyAuth.layer))

/**
 * What a sync needs (Lake, StateStore, SpotifyClient, SpotifyAuth), over a core that says where
 * things live: the lake's storage, the token store and the Spotify app's settings. The CLI and
 * the Lambda differ only in their core.
 */
export const layerSync = <E, R>(
  core: Layer.Layer<ObjectStorage | TokenStore | SpotifyConfig, E, R>
): Layer.Layer<Lake | StateStore | SpotifyClient | SpotifyAuth, E, R | HttpClient.HttpClient> =>
  Layer.merge(layerLake, layerSpotify).pipe(Layer.provide(core))
