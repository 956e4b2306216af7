import { type ConfigError, Context, type Effect, Layer, type Option, type Redacted } from "effect"
import type { TokenStoreError } from "./TokenStoreError.js"
import { makeSecretsManagerSecret, type SecretsManagerOptions } from "./TokenStoreSecretsManagerSdk.js"

export type { SecretsManagerOptions } from "./TokenStoreSecretsManagerSdk.js"

export interface SecretVersion {
  /** The SecretString as stored: it holds the refresh token and the client secret. */
  readonly text: Redacted.Redacted<string>
  /** When this version was stored (Secrets Manager's `CreatedDate`). */
  readonly createdAtMs: Option.Option<number>
}

export interface SpotifySecretShape {
  /** The secret's name or ARN, for messages. */
  readonly id: string
  readonly read: Effect.Effect<SecretVersion, TokenStoreError>
  /** Stores a new current version; durable once it succeeds. */
  readonly write: (text: Redacted.Redacted<string>) => Effect.Effect<void, TokenStoreError>
}

/**
 * The one AWS Secrets Manager secret that holds the Spotify app's credentials and the refresh
 * token (its JSON shape: `TokenStoreSecretsManagerCodec.ts` and the README). The raw vendor
 * seam under `TokenStore.layerSecretsManager` and the Lambda's Spotify settings.
 */
export class SpotifySecret extends Context.Tag("spotify-pipeline/SpotifySecret")<SpotifySecret, SpotifySecretShape>() {
  /** The secret named by `SPOTIFY_SECRET_ID`; `AWS_ENDPOINT_URL_SECRETS_MANAGER` selects another endpoint. */
  static readonly layer: Layer.Layer<SpotifySecret, ConfigError.ConfigError> = Layer.scoped(
    SpotifySecret,
    makeSecretsManagerSecret({})
  )

  static readonly layerOptions = (options: SecretsManagerOptions): Layer.Layer<SpotifySecret, ConfigError.ConfigError> =>
    Layer.scoped(SpotifySecret, makeSecretsManagerSecret(options))
}
