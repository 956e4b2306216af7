import { describe, expect, it } from "@effect/vitest"
import { Cause, ConfigProvider, Effect, Exit, Layer, Option, Redacted } from "effect"
import { layerLambda, spotifyConfigFromSecret } from "../../src/entrypoints/lambda.js"
import { SpotifyConfig } from "../../src/services/spotify/SpotifyConfig.js"
import { SpotifySecret } from "../../src/services/tokens/SpotifySecret.js"

/*
 * The Lambda's own composition. The whole of it runs in test/lambda/LambdaBundle.test.ts (bundled,
 * in Node 24, over HTTP); here, what it takes from where: a stand-in secret and a map of settings.
 */

const secret = (contents: object) =>
  Layer.succeed(SpotifySecret, {
    id: "spotify-pipeline/spotify",
    read: Effect.succeed({ text: Redacted.make(JSON.stringify(contents)), createdAtMs: Option.none() }),
    write: () => Effect.dieMessage("the Spotify settings never write the secret")
  })

const env = (entries: ReadonlyArray<readonly [string, string]>) => Layer.setConfigProvider(ConfigProvider.fromMap(new Map(entries)))

const settings = (contents: object, entries: ReadonlyArray<readonly [string, string]> = []) =>
  Effect.provide(SpotifyConfig, spotifyConfigFromSecret.pipe(Layer.provide(secret(contents)), Layer.provide(env(entries))))

describe("spotifyConfigFromSecret", () => {
  it.effect("takes the app's client id and secret from the secret, and the rest from the environment", () =>
    Effect.gen(function*() {
      const config = yield* settings(
        { client_id: "from-secret", client_secret: "secret-from-secret", refresh_token: "r" },
        [["SPOTIFY_CLIENT_ID", "from-env"], ["SPOTIFY_CLIENT_SECRET", "from-env"], ["SPOTIFY_API_URL", "http://127.0.0.1:9/"]]
      )
      expect(config.clientId).toBe("from-secret")
      expect(Option.map(config.clientSecret, Redacted.value)).toEqual(Option.some("secret-from-secret"))
      expect(config.apiUrl).toBe("http://127.0.0.1:9")
      expect(config.accountsUrl).toBe("https://accounts.spotify.com")
    }))

  it.effect("a PKCE app (no client_secret in the secret) has none", () =>
    Effect.gen(function*() {
      const config = yield* settings({ client_id: "public-client", refresh_token: "r" })
      expect(config.clientSecret).toEqual(Option.none())
    }))

  it.effect("fails, saying what to put there, while the secret holds no client_id", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(settings({}))
      expect(error._tag === "TokenStoreError" && error.message).toContain("has no client_id yet")
    }))
})

describe("layerLambda", () => {
  it.effect("refuses a folder lake: on Lambda the lake is in S3", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(Layer.build(layerLambda).pipe(
        Effect.provide(env([["LAKE_URL", "./data"], ["SPOTIFY_SECRET_ID", "s"]]))
      ))
      expect(Exit.isFailure(exit) && Cause.pretty(exit.cause)).toContain("on Lambda the lake must be in S3")
    }).pipe(Effect.scoped))
})
