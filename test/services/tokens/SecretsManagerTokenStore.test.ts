import { NodeHttpClient } from "@effect/platform-node"
import { layerSpotify } from "../../../src/entrypoints/AppLayer.js"
import { describe, expect, it, layer } from "@effect/vitest"
import { Cause, ConfigProvider, Effect, Exit, Layer, Option, Redacted, TestClock } from "effect"
import * as Emulator from "../../../src/emulator/Emulator.js"
import { SpotifyAuth } from "../../../src/services/spotify/SpotifyAuth.js"
import { SpotifyClient } from "../../../src/services/spotify/SpotifyClient.js"
import { SpotifyConfig } from "../../../src/services/spotify/SpotifyConfig.js"
import { TokenStore } from "../../../src/services/tokens/TokenStore.js"
import { secretAppCredentials } from "../../../src/services/tokens/SecretsManagerTokenStore.js"
import { SpotifySecret } from "../../../src/services/tokens/SpotifySecret.js"
import {
  FakeSecretsManager,
  fakeSecretsManagerClient,
  type FakeSecretsManagerServer,
  makeFakeSecretsManagerServer
} from "../../support/FakeSecretsManagerServer.js"
import { requestsTo } from "../../support/SpotifyOverEmulator.js"
import { driveUntilDone, untilSleeping } from "../../support/TestClockDriver.js"
import { recentlyPlayedPath } from "../../emulator/support.js"
import { token, tokenStoreContract } from "./TokenStore.contract.js"
import * as SecretsManagerTokenStore from "../../../src/services/tokens/SecretsManagerTokenStore.js"

/*
 * Which server proves what: FakeSecretsManagerServer (test/support) speaks Secrets Manager's
 * wire protocol (AWS JSON 1.1 over loopback HTTP), so the real SDK client signs, serialises and
 * parses every call here, and its switches prove the error mapping (not found, access denied,
 * 5xx, a hang). The Spotify emulator proves that a rotated refresh token is in the secret
 * before the run may call the Web API.
 */

let secrets = 0
const freshName = () => `spotify-pipeline/test-${++secrets}`

const app = { client_id: "emulator-client", client_secret: "emulator-secret" }
const refresh = "AQD-refresh-token-never-logged"
const clientSecret = "emulator-secret"

const secretLayer = (sm: FakeSecretsManagerServer, secretId: string) =>
  SpotifySecret.layerOptions({ secretId, client: fakeSecretsManagerClient(sm.endpoint), timeout: "10 seconds" })

const storeOver = (sm: FakeSecretsManagerServer, secretId: string) =>
  SecretsManagerTokenStore.layer.pipe(Layer.provideMerge(secretLayer(sm, secretId)))

layer(FakeSecretsManager.layer)((it) => {
  tokenStoreContract(
    it,
    "Secrets Manager (loopback server)",
    Layer.unwrapEffect(Effect.map(FakeSecretsManager, (sm) => {
      const name = freshName()
      sm.create(name, JSON.stringify(app))
      return SecretsManagerTokenStore.layer.pipe(Layer.provide(secretLayer(sm, name)))
    }))
  )
})

const withSecret = <A, E>(text: string, body: (sm: FakeSecretsManagerServer, name: string) => Effect.Effect<A, E, TokenStore | SpotifySecret>) =>
  Effect.gen(function*() {
    const sm = yield* makeFakeSecretsManagerServer()
    const name = freshName()
    sm.create(name, text, Date.UTC(2026, 2, 3, 4, 5, 6, 789))
    return yield* body(sm, name).pipe(Effect.provide(storeOver(sm, name)))
  }).pipe(Effect.scoped)

const expectNoSecret = (error: unknown) => {
  for (const value of [refresh, clientSecret]) {
    expect(String(error)).not.toContain(value)
    expect(Cause.pretty(Cause.fail(error))).not.toContain(value)
    expect(JSON.stringify(error)).not.toContain(value)
  }
}

describe("SecretsManagerTokenStore.layer", () => {
  it.effect("stores a rotated token beside the app's credentials and any other key, which it keeps", () =>
    withSecret(JSON.stringify({ ...app, refresh_token: "old", note: "put here by hand" }), (sm, name) =>
      Effect.gen(function*() {
        const store = yield* TokenStore
        yield* store.set({ ...token(refresh), authorised_at_ms: Date.UTC(2026, 0, 5, 8) })
        const stored: unknown = JSON.parse(sm.current(name) ?? "null")
        expect(stored).toEqual({
          ...app,
          note: "put here by hand",
          refresh_token: refresh,
          authorised_at: "2026-01-05T08:00:00.000Z"
        })
        expect(sm.requests).toEqual([`GetSecretValue ${name}`, `PutSecretValue ${name}`])
      })))

  it.effect("reads the secret as a person writes it, authorised_at included", () =>
    withSecret(JSON.stringify({ ...app, refresh_token: refresh, authorised_at: "2026-01-05T08:00:00Z" }), () =>
      Effect.gen(function*() {
        const stored = Option.getOrThrow(yield* (yield* TokenStore).get)
        expect(Redacted.value(stored.refresh_token)).toBe(refresh)
        expect(stored.authorised_at_ms).toBe(Date.UTC(2026, 0, 5, 8))
        expect(stored.bootstrap_fingerprint).toBeNull()
      })))

  it.effect("without authorised_at, dates the token from when that secret value was stored", () =>
    withSecret(JSON.stringify({ ...app, refresh_token: refresh }), () =>
      Effect.gen(function*() {
        const stored = Option.getOrThrow(yield* (yield* TokenStore).get)
        expect(stored.authorised_at_ms).toBe(Date.UTC(2026, 2, 3, 4, 5, 6, 789))
      })))

  it.effect("reads the placeholder the stack creates ({}) as no token yet", () =>
    withSecret("{}", () =>
      Effect.gen(function*() {
        expect(yield* (yield* TokenStore).get).toEqual(Option.none())
      })))

  it.effect("reports text that is not a JSON object as Corrupt, naming the secret and not its value", () =>
    withSecret(`{"refresh_token":"${refresh}",`, (_sm, name) =>
      Effect.gen(function*() {
        const error = yield* Effect.flip((yield* TokenStore).get)
        expect(error.reason).toBe("Corrupt")
        expect(error.message).toContain(name)
        expect(error.message).toContain("does not hold a JSON object")
        expectNoSecret(error)
      })))

  it.effect("reports fields of the wrong type as Corrupt, naming the fields and no value", () =>
    withSecret(JSON.stringify({ ...app, refresh_token: refresh, authorised_at: "soon", client_secret: 7 }), () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip((yield* TokenStore).get)
        expect(error.reason).toBe("Corrupt")
        expect(error.message).toContain("authorised_at")
        expect(error.message).toContain("client_secret")
        expectNoSecret(error)
      })))

  it.effect("a missing secret is Unavailable and points at SPOTIFY_SECRET_ID", () =>
    Effect.gen(function*() {
      const sm = yield* makeFakeSecretsManagerServer()
      const store = yield* Effect.provide(TokenStore, storeOver(sm, "no-such-secret"))
      const errors = [yield* Effect.flip(store.get), yield* Effect.flip(store.set(token(refresh)))]
      expect(errors.map((e) => e.reason)).toEqual(["Unavailable", "Unavailable"])
      expect(errors[0]?.message).toContain("ResourceNotFoundException")
      expect(errors[0]?.message).toContain("SPOTIFY_SECRET_ID")
      errors.forEach(expectNoSecret)
    }).pipe(Effect.scoped))

  it.effect("a refused write is Unavailable and names the permission the role lacks", () =>
    withSecret(JSON.stringify({ ...app, refresh_token: "old" }), (sm, name) =>
      Effect.gen(function*() {
        sm.failWith = { status: 400, type: "AccessDeniedException", message: "User is not authorized", operation: "PutSecretValue" }
        const error = yield* Effect.flip((yield* TokenStore).set(token(refresh)))
        expect(error.reason).toBe("Unavailable")
        expect(error.message).toContain("secretsmanager:PutSecretValue")
        expect(JSON.parse(sm.current(name) ?? "null")).toMatchObject({ refresh_token: "old" })
        expectNoSecret(error)
      })))

  it.effect("a server error is Unavailable", () =>
    withSecret(JSON.stringify(app), (sm) =>
      Effect.gen(function*() {
        sm.failWith = { status: 500, type: "InternalServiceError", message: "try later" }
        const error = yield* Effect.flip((yield* TokenStore).get)
        expect(error.reason).toBe("Unavailable")
        expect(error.message).toContain("HTTP 500")
      })))

  it.effect("a run's reads share one GetSecretValue; a write, a failed read or five seconds make the next read ask again", () =>
    withSecret(JSON.stringify({ ...app, refresh_token: "old" }), (sm, name) =>
      Effect.gen(function*() {
        const store = yield* TokenStore
        const gets = () => sm.requests.filter((request) => request === `GetSecretValue ${name}`).length
        yield* secretAppCredentials
        yield* store.get
        yield* store.get
        expect(gets()).toBe(1)

        yield* store.set(token(refresh))
        expect(sm.requests).toEqual([`GetSecretValue ${name}`, `PutSecretValue ${name}`])
        const afterWrite = Option.getOrThrow(yield* store.get)
        expect(Redacted.value(afterWrite.refresh_token)).toBe(refresh)
        expect(gets()).toBe(2)

        yield* TestClock.adjust("5 seconds")
        yield* store.get
        expect(gets()).toBe(3)

        sm.failWith = { status: 400, type: "ResourceNotFoundException", message: "gone", operation: "GetSecretValue" }
        yield* TestClock.adjust("5 seconds")
        expect((yield* Effect.flip(store.get)).reason).toBe("Unavailable")
        sm.failWith = undefined
        expect(Option.isSome(yield* store.get)).toBe(true)
        expect(gets()).toBe(5)
      })))

  it.effect("a server that never answers is Unavailable after the request timeout", () =>
    withSecret(JSON.stringify(app), (sm) =>
      Effect.gen(function*() {
        sm.hang = true
        const attempt = yield* Effect.fork(Effect.flip((yield* TokenStore).get))
        yield* untilSleeping(attempt)
        const error = yield* driveUntilDone(attempt)
        expect(error.reason).toBe("Unavailable")
        expect(error.message).toContain("timed out after 10s")
      })))

  it.effect("takes the secret from SPOTIFY_SECRET_ID and the endpoint from AWS_ENDPOINT_URL_SECRETS_MANAGER", () =>
    Effect.gen(function*() {
      const sm = yield* makeFakeSecretsManagerServer()
      const arn = sm.create("from-env", JSON.stringify({ ...app, refresh_token: refresh }))
      const env = ConfigProvider.fromMap(
        new Map([
          ["SPOTIFY_SECRET_ID", arn],
          ["AWS_ENDPOINT_URL_SECRETS_MANAGER", sm.endpoint],
          ["AWS_REGION", "eu-north-1"]
        ])
      )
      // The SDK reads credentials from the process environment itself; this test is about the rest.
      const { credentials } = fakeSecretsManagerClient(sm.endpoint)
      const store = yield* Effect.provide(
        TokenStore,
        SecretsManagerTokenStore.layer.pipe(
          Layer.provide(SpotifySecret.layerOptions({ client: { credentials } })),
          Layer.provide(Layer.setConfigProvider(env))
        )
      )
      expect(Option.map(yield* store.get, (t) => Redacted.value(t.refresh_token))).toEqual(Option.some(refresh))
      expect(sm.requests).toEqual([`GetSecretValue ${arn}`])
    }).pipe(Effect.scoped))

  it.effect("without SPOTIFY_SECRET_ID the layer fails with a config error naming it", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(
        Effect.provide(TokenStore, SecretsManagerTokenStore.layer.pipe(
          Layer.provide(SpotifySecret.layer),
          Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map())))
        ))
      )
      expect(Exit.isFailure(exit) && Cause.pretty(exit.cause)).toContain("SPOTIFY_SECRET_ID")
    }).pipe(Effect.scoped))
})

describe("secretAppCredentials", () => {
  it.effect("reads the app's client id and secret", () =>
    withSecret(JSON.stringify(app), () =>
      Effect.gen(function*() {
        const credentials = yield* secretAppCredentials
        expect(credentials.clientId).toBe("emulator-client")
        expect(Option.map(credentials.clientSecret, Redacted.value)).toEqual(Option.some(clientSecret))
      })))

  it.effect("a PKCE app has no client secret", () =>
    withSecret(JSON.stringify({ client_id: "public-client", refresh_token: refresh }), () =>
      Effect.gen(function*() {
        expect((yield* secretAppCredentials).clientSecret).toEqual(Option.none())
      })))

  it.effect("a secret without client_id says what to put into it", () =>
    withSecret("{}", (_sm, name) =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(secretAppCredentials)
        expect(error.reason).toBe("Corrupt")
        expect(error.message).toBe(
          `The secret ${name} has no client_id yet; put {"client_id": "...", "client_secret": "...", "refresh_token": "..."} into it`
        )
      })))
})

describe("SpotifyAuth over the secret and the emulator", () => {
  const live = (emulator: Emulator.Emulator, sm: FakeSecretsManagerServer, name: string) =>
    Layer.build(
      layerSpotify.pipe(
        Layer.provideMerge(Layer.merge(SpotifyConfig.layer, SecretsManagerTokenStore.layer)),
        Layer.provide(secretLayer(sm, name)),
        Layer.provide(NodeHttpClient.layer),
        Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(
          new Map([
            ["SPOTIFY_CLIENT_ID", "emulator-client"],
            ["SPOTIFY_CLIENT_SECRET", clientSecret],
            ["SPOTIFY_API_URL", emulator.url],
            ["SPOTIFY_ACCOUNTS_URL", emulator.url]
          ])
        )))
      )
    )

  const recentlyPlayedCalls = (emulator: Emulator.Emulator) =>
    Effect.map(requestsTo(emulator, recentlyPlayedPath), (requests) => requests.length)

  it.scoped("a rotated refresh token is in the secret before an access token is handed out", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      yield* emulator.configure({ refreshReturnsNewToken: true })
      const sm = yield* makeFakeSecretsManagerServer()
      const name = freshName()
      sm.create(name, JSON.stringify({ ...app, refresh_token: "emulator-refresh-token", authorised_at: "2026-01-05T08:00:00.000Z" }))
      const context = yield* live(emulator, sm, name)
      const auth = yield* Effect.provide(SpotifyAuth, context)

      yield* auth.accessToken
      const stored: unknown = JSON.parse(sm.current(name) ?? "null")
      expect(stored).toMatchObject({ ...app, authorised_at: "2026-01-05T08:00:00.000Z" })
      expect(stored).not.toMatchObject({ refresh_token: "emulator-refresh-token" })

      // The old token is dead now; the next refresh works only with the one written back.
      yield* auth.invalidate
      yield* auth.accessToken
      expect(yield* Effect.map(emulator.requests, (all) => all.filter((r) => r.path === "/api/token").map((r) => r.status)))
        .toEqual([200, 200])
    }))

  it.scoped("when the rotated token cannot be written back, the run still reads its plays, says the next run needs a reconnect, and stores it at the next refresh that can", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      yield* emulator.configure({ refreshReturnsNewToken: true })
      yield* emulator.listen(3)
      const sm = yield* makeFakeSecretsManagerServer()
      const name = freshName()
      sm.create(name, JSON.stringify({ ...app, refresh_token: "emulator-refresh-token" }))
      sm.failWith = { status: 500, type: "InternalServiceError", message: "try later", operation: "PutSecretValue" }
      const context = yield* live(emulator, sm, name)
      const client = yield* Effect.provide(SpotifyClient, context)
      const auth = yield* Effect.provide(SpotifyAuth, context)

      // Spotify has spent the stored token: refusing the run would lose its plays as well.
      const read = yield* client.recentlyPlayed(50)
      expect(read.page.items).toHaveLength(3)
      expect(yield* recentlyPlayedCalls(emulator)).toBe(1)
      const warning = Option.getOrThrow(yield* auth.unsavedRotation)
      expect(warning).toContain("PutSecretValue")
      expect(warning).toContain("no longer accepts the stored one")
      expect(JSON.parse(sm.current(name) ?? "null")).toMatchObject({ refresh_token: "emulator-refresh-token" })

      // The next refresh of this process uses the token it holds (the stored one is refused now) and writes it back.
      sm.failWith = undefined
      yield* auth.invalidate
      yield* auth.accessToken
      expect(yield* Effect.map(emulator.requests, (all) => all.filter((r) => r.path === "/api/token").map((r) => r.status)))
        .toEqual([200, 200])
      expect(JSON.parse(sm.current(name) ?? "null")).not.toMatchObject({ refresh_token: "emulator-refresh-token" })
      expect(yield* auth.unsavedRotation).toEqual(Option.none())
    }))
})
