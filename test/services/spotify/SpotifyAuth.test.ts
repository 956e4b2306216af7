import { describe, expect, it } from "@effect/vitest"
import { Context, Duration, Effect, Layer, Option, Redacted, TestClock } from "effect"
import * as Emulator from "../../../src/emulator/Emulator.js"
import { ReconnectHint } from "../../../src/services/spotify/ReconnectHint.js"
import { SpotifyAuth } from "../../../src/services/spotify/SpotifyAuth.js"
import { SpotifyClient } from "../../../src/services/spotify/SpotifyClient.js"
import { TokenStore } from "../../../src/services/tokens/TokenStore.js"
import { failureOf } from "../../support/FailureOf.js"
import { buildLiveSpotify, requestsTo } from "../../support/SpotifyOverEmulator.js"
import * as MemoryTokenStore from "../../../src/services/tokens/MemoryTokenStore.js"

const live = (emulator: Emulator.Emulator, settings?: Parameters<typeof buildLiveSpotify>[1]) =>
  Effect.map(buildLiveSpotify(emulator, settings), (ctx) => ({
    auth: Context.get(ctx, SpotifyAuth),
    client: Context.get(ctx, SpotifyClient),
    store: Context.get(ctx, TokenStore)
  }))

const tokenCalls = (emulator: Emulator.Emulator) => Effect.map(requestsTo(emulator, "/api/token"), (r) => r.length)

const storedToken = (store: Context.Tag.Service<TokenStore>) =>
  Effect.map(store.get, (t) => Redacted.value(Option.getOrThrow(t).refresh_token))

/** What the Lambda says: its token and its credentials are in its secret, and nowhere else. */
const secretHint = { instruction: "put a new refresh_token into the secret", credentials: "client_id and client_secret in the secret", otherwise: "" }

describe("SpotifyAuth over HTTP against the emulator", () => {
  it.scoped("reuses the access token until 5 minutes before expiry, judged by the clock, then refreshes", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const { auth } = yield* live(emulator)
      const first = yield* auth.accessToken
      yield* TestClock.adjust(Duration.minutes(54))
      expect(Redacted.value(yield* auth.accessToken)).toBe(Redacted.value(first))
      expect(yield* tokenCalls(emulator)).toBe(1)
      yield* TestClock.adjust(Duration.minutes(1))
      expect(Redacted.value(yield* auth.accessToken)).not.toBe(Redacted.value(first))
      expect(yield* tokenCalls(emulator)).toBe(2)
    }))

  it.scoped("concurrent callers share one refresh", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const { auth } = yield* live(emulator)
      const tokens = yield* Effect.all(Array.from({ length: 8 }, () => auth.accessToken), { concurrency: "unbounded" })
      expect(new Set(tokens.map(Redacted.value)).size).toBe(1)
      expect(yield* tokenCalls(emulator)).toBe(1)
    }))

  it.scoped("the bootstrap token from the environment is stored with when it was first seen", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.UTC(2026, 7, 1))
      const emulator = yield* Emulator.make()
      const { auth, store } = yield* live(emulator)
      yield* auth.accessToken
      const stored = Option.getOrThrow(yield* store.get)
      expect(Redacted.value(stored.refresh_token)).toBe("emulator-refresh-token")
      expect(stored.authorised_at_ms).toBe(Date.UTC(2026, 7, 1))
    }))

  it.scoped("a refresh that returns no refresh token keeps the old one", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const { auth, store } = yield* live(emulator)
      yield* auth.accessToken
      yield* auth.invalidate
      yield* auth.accessToken
      expect(yield* storedToken(store)).toBe("emulator-refresh-token")
      expect(yield* tokenCalls(emulator)).toBe(2)
    }))

  it.scoped("a grant whose refresh_token is empty, blank or null keeps the stored token, which goes on working", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const { auth, store } = yield* live(emulator)
      for (const value of ["", " ", null] as const) {
        yield* emulator.fault({ endpoint: "token", kind: "blank-refresh-token", value })
        yield* auth.invalidate
        yield* auth.accessToken
        expect(yield* storedToken(store)).toBe("emulator-refresh-token")
      }
      yield* auth.invalidate
      yield* auth.accessToken
      expect(yield* Effect.map(requestsTo(emulator, "/api/token"), (all) => all.map((r) => r.status))).toEqual([200, 200, 200, 200])
    }))

  it.scoped("a rotated refresh token is stored before the access token is handed out, and keeps the authorisation time", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.UTC(2026, 7, 1))
      const emulator = yield* Emulator.make()
      yield* emulator.configure({ refreshReturnsNewToken: true })
      const { auth, store } = yield* live(emulator)
      yield* auth.accessToken
      const rotated = yield* storedToken(store)
      expect(rotated).not.toBe("emulator-refresh-token")
      yield* TestClock.adjust(Duration.hours(2))
      // The old token is dead at the emulator now: this refresh only works with the stored one.
      yield* auth.accessToken
      expect(yield* storedToken(store)).not.toBe(rotated)
      expect(Option.getOrThrow(yield* store.get).authorised_at_ms).toBe(Date.UTC(2026, 7, 1))
    }))

  it.scoped("invalid_grant is a non-retryable SpotifyAuthRevoked that says how to reconnect, without the token", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      yield* emulator.configure({ refreshTokenRevoked: true })
      const { auth } = yield* live(emulator)
      const exit = yield* Effect.exit(auth.accessToken)
      const error = failureOf(exit)
      expect(error?._tag).toBe("SpotifyAuthRevoked")
      expect(error?.message).toContain("To reconnect, run `npm start -- login`.")
      expect(error?.message).not.toContain("emulator-refresh-token")
      expect(yield* tokenCalls(emulator)).toBe(1)
    }))

  it.scoped("where the token lives elsewhere (the Lambda's secret), the refusal says what to do there", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      yield* emulator.configure({ refreshTokenRevoked: true })
      const { auth } = yield* live(emulator).pipe(Effect.provideService(ReconnectHint, secretHint))
      const error = yield* Effect.flip(auth.accessToken)
      expect(error.message).toContain("To reconnect, put a new refresh_token into the secret.")
      expect(error.message).not.toContain("npm start")
    }))

  it.scoped("where the credentials live elsewhere (the Lambda's secret), a refusal of them names that place, not variables", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ clientSecret: "another-secret" })
      const { auth } = yield* live(emulator).pipe(Effect.provideService(ReconnectHint, secretHint))
      const error = yield* Effect.flip(auth.accessToken)
      expect(error.message).toMatch(/: check client_id and client_secret in the secret\.$/)
      expect(error.message).not.toContain("SPOTIFY_")
    }))

  it.scoped("wrong client credentials are an InvalidClient error naming the settings to check", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ clientSecret: "another-secret" })
      const { auth } = yield* live(emulator)
      const exit = yield* Effect.exit(auth.accessToken)
      const error = failureOf(exit)
      expect(error).toMatchObject({ _tag: "SpotifyAuthError", reason: "InvalidClient" })
      expect(error?.message).toContain("SPOTIFY_CLIENT_SECRET")
      expect(error?.message).not.toContain("emulator-secret")
    }))

  it.scoped("a PKCE public client refreshes with its client id alone", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      yield* emulator.listen(3)
      const { client } = yield* live(emulator, { publicClient: true })
      expect((yield* client.recentlyPlayed(50)).page.items).toHaveLength(3)
    }))

  it.scoped("a token stored by an earlier run wins over the same bootstrap token; a new one in the environment is adopted", () =>
    Effect.gen(function*() {
      const store = yield* Effect.provide(TokenStore, MemoryTokenStore.layer)
      const tokenStore = Layer.succeed(TokenStore, store)
      const tokenStatuses = (emulator: Emulator.Emulator) => Effect.map(requestsTo(emulator, "/api/token"), (r) => r.map((q) => q.status))

      // An earlier run: Spotify rotates the bootstrap token, which is dead from then on.
      yield* TestClock.setTime(Date.UTC(2026, 7, 1))
      const spotify = yield* Emulator.make({ refreshToken: "bootstrap-token" })
      yield* spotify.configure({ refreshReturnsNewToken: true })
      yield* (yield* live(spotify, { refreshToken: "bootstrap-token", tokenStore })).auth.accessToken
      expect(yield* storedToken(store)).not.toBe("bootstrap-token")

      // The next run, the same bootstrap token still set: the stored token is refreshed (the bootstrap one would be refused).
      yield* TestClock.setTime(Date.UTC(2026, 7, 2))
      yield* (yield* live(spotify, { refreshToken: "bootstrap-token", tokenStore })).auth.accessToken
      expect(yield* tokenStatuses(spotify)).toEqual([200, 200])
      expect(Option.getOrThrow(yield* store.get).authorised_at_ms).toBe(Date.UTC(2026, 7, 1))

      // The user puts a token Spotify issued since into the environment: it is adopted, authorised now.
      yield* TestClock.setTime(Date.UTC(2026, 7, 3))
      const reissued = yield* Emulator.make({ refreshToken: "new-bootstrap-token" })
      yield* (yield* live(reissued, { refreshToken: "new-bootstrap-token", tokenStore })).auth.accessToken
      expect(yield* tokenStatuses(reissued)).toEqual([200])
      const adopted = Option.getOrThrow(yield* store.get)
      expect(Redacted.value(adopted.refresh_token)).toBe("new-bootstrap-token")
      expect(adopted.authorised_at_ms).toBe(Date.UTC(2026, 7, 3))
    }))

  it.scoped("a token stored by login (no bootstrap fingerprint) is never replaced by the environment", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ refreshToken: "from-login" })
      const { auth, store } = yield* live(emulator, { refreshToken: "stale-env-token" })
      yield* store.set({ refresh_token: Redacted.make("from-login"), authorised_at_ms: 5, bootstrap_fingerprint: null })
      yield* auth.accessToken
      expect(yield* storedToken(store)).toBe("from-login")
    }))

  it.scoped("authorisedAt: none before a token is stored, then when the user authorised it, kept across a rotation", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.UTC(2026, 7, 1))
      const emulator = yield* Emulator.make()
      yield* emulator.configure({ refreshReturnsNewToken: true })
      const { auth } = yield* live(emulator)
      expect(yield* auth.authorisedAt).toEqual(Option.none())
      yield* auth.accessToken
      yield* TestClock.adjust(Duration.hours(2))
      yield* auth.accessToken
      expect(yield* auth.authorisedAt).toEqual(Option.some(Date.UTC(2026, 7, 1)))
    }))

  it.scoped("with no token anywhere, NotConnected names the login command", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const { auth } = yield* live(emulator, { refreshToken: null })
      const exit = yield* Effect.exit(auth.accessToken)
      const error = failureOf(exit)
      expect(error).toMatchObject({ _tag: "SpotifyAuthError", reason: "NotConnected" })
      expect(error?.message).toContain("`npm start -- login`")
    }))
})
