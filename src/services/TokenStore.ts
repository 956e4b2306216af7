import type { FileSystem, Path } from "@effect/platform"
import { Context, type Effect, Layer, type Option } from "effect"
import type { StoredToken } from "../domain/StoredToken.js"
import type { ObjectStorage } from "./ObjectStorage.js"
import { makeFile } from "./TokenStoreFile.js"
import { makeMemory } from "./TokenStoreMemory.js"
import type { TokenStoreError } from "./TokenStoreError.js"
import { makeObjectStorage } from "./TokenStoreObjectStorage.js"
import { makeSecretsManager } from "./TokenStoreSecretsManager.js"
import type { SpotifySecret } from "./TokenStoreSecretsManagerSecret.js"

export { TokenStoreError } from "./TokenStoreError.js"

export interface TokenStoreShape {
  readonly get: Effect.Effect<Option.Option<StoredToken>, TokenStoreError>
  /** Durable when it succeeds: a rotated refresh token must survive a crash right after. */
  readonly set: (token: StoredToken) => Effect.Effect<void, TokenStoreError>
}

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
