import type { FileSystem, Path } from "@effect/platform"
import { Context, Layer } from "effect"
import type { ObjectStorage } from "./ObjectStorage.js"
import type { SpotifySecret } from "./SpotifySecret.js"
import { makeFile } from "./TokenStoreFile.js"
import { makeMemory } from "./TokenStoreMemory.js"
import { makeObjectStorage } from "./TokenStoreObjectStorage.js"
import { makeSecretsManager } from "./TokenStoreSecretsManager.js"
import type { TokenStoreShape } from "./TokenStoreShape.js"

export { TokenStoreError } from "./TokenStoreError.js"

export type { TokenStoreShape } from "./TokenStoreShape.js"

/** Where the Spotify refresh token lives between runs. */
export class TokenStore extends Context.Tag("spotify-pipeline/TokenStore")<TokenStore, TokenStoreShape>() {
  /** Empty at first; a fresh store per layer build. */
  static readonly layerMemory: Layer.Layer<TokenStore> = Layer.effect(TokenStore, makeMemory)

  /** A JSON file at `path`, mode 0600 (its folder is created when needed). */
  static readonly layerFile = (path: string): Layer.Layer<TokenStore, never, FileSystem.FileSystem | Path.Path> =>
    Layer.effect(TokenStore, makeFile(path))

  /** A JSON object at `key` in the lake's object store. */
  static readonly layerObjectStorage = (key: string): Layer.Layer<TokenStore, never, ObjectStorage> =>
    Layer.effect(TokenStore, makeObjectStorage(key))

  /** Inside the AWS Secrets Manager secret that also holds the app's credentials (the Lambda's store). */
  static readonly layerSecretsManager: Layer.Layer<TokenStore, never, SpotifySecret> = Layer.effect(
    TokenStore,
    makeSecretsManager
  )
}
