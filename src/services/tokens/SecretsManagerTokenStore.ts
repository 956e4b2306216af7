import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { StoredToken } from "../../domain/StoredToken.js"
import { type AppCredentials, appCredentialsOf, decodeSecret, storedTokenOf, withStoredToken } from "./SecretContents.js"
import { SpotifySecret, type SpotifySecretShape } from "./SpotifySecret.js"
import { TokenStore, type TokenStoreError } from "./TokenStore.js"

const readContents = (secret: SpotifySecretShape) =>
  secret.read.pipe(
    Effect.flatMap((version) => Effect.map(decodeSecret(secret.id, version), (contents) => ({ version, contents })))
  )

/**
 * The refresh token inside the Spotify secret. A write reads the secret first and keeps its
 * other keys (the app's credentials); runs never overlap (the lake's lease), so no update is lost.
 */
const make = Effect.gen(function*() {
  const secret = yield* SpotifySecret
  return {
    get: readContents(secret).pipe(
      Effect.flatMap(({ contents, version }) => storedTokenOf(secret.id, contents, version)),
      Effect.withSpan("TokenStore.get")
    ),
    set: Effect.fn("TokenStore.set")(function*(token: StoredToken) {
      const { contents } = yield* readContents(secret)
      yield* secret.write(withStoredToken(contents, token))
    })
  } satisfies typeof TokenStore.Service
})

/** Inside the AWS Secrets Manager secret that also holds the app's credentials (the Lambda's store). */
export const layer: Layer.Layer<TokenStore, never, SpotifySecret> = Layer.effect(TokenStore, make)

/** The Spotify app's client id (and secret, unless a PKCE app) as the secret holds them. */
export const secretAppCredentials: Effect.Effect<AppCredentials, TokenStoreError, SpotifySecret> = SpotifySecret.pipe(
  Effect.flatMap((secret) =>
    readContents(secret).pipe(Effect.flatMap(({ contents }) => appCredentialsOf(secret.id, contents)))
  ),
  Effect.withSpan("SpotifySecret.appCredentials")
)
