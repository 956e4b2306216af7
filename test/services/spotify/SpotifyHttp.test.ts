import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Context, Duration, Effect, Fiber, Layer, Option, Redacted, TestClock } from "effect"
import * as Emulator from "../../../src/emulator/Emulator.js"
import { connectionFailure } from "../../../src/services/spotify/ConnectionFailure.js"
import { SpotifyAccounts } from "../../../src/services/spotify/SpotifyAccounts.js"
import { SpotifyAuth } from "../../../src/services/spotify/SpotifyAuth.js"
import { SpotifyClient } from "../../../src/services/spotify/SpotifyClient.js"
import { SpotifyConfig } from "../../../src/services/spotify/SpotifyConfig.js"
import { SpotifyHttp } from "../../../src/services/spotify/SpotifyHttp.js"
import * as MemoryTokenStore from "../../../src/services/tokens/MemoryTokenStore.js"
import { TokenStore } from "../../../src/services/tokens/TokenStore.js"
import { buildLiveSpotify, requestsTo, untilRequested, untilSleepingFor } from "../../support/SpotifyOverEmulator.js"
import { closedPort, loopbackEndpoint, loopbackServer } from "../../support/LoopbackServer.js"
import { driveUntilDone } from "../../support/TestClockDriver.js"

/*
 * What is retried and what never is, over real HTTP: the emulator for Spotify's answers (its
 * "lost-answer" and "error-after" faults carry the request out, then lose or spoil the answer),
 * and a port nothing listens on for a refused connection.
 */

const tokenRequests = (emulator: Emulator.Emulator) => Effect.map(requestsTo(emulator, "/api/token"), (r) => r.length)

/** A refused connection is retried after 200 ms, then 400 ms: move the clock exactly there, then join. */
const afterQuickRetries = <A, E>(fiber: Fiber.Fiber<A, E>) =>
  Effect.gen(function*() {
    for (const delay of [200, 400]) {
      yield* untilSleepingFor(delay)
      yield* TestClock.adjust(Duration.millis(delay))
    }
    return yield* Fiber.join(fiber)
  })

const liveAt = (url: string) =>
  Layer.build(
    Layer.mergeAll(SpotifyAccounts.layer.pipe(Layer.provide(SpotifyHttp.layer)), SpotifyClient.layer).pipe(
      Layer.provideMerge(SpotifyAuth.layer),
      Layer.provide(SpotifyHttp.layer),
      Layer.provideMerge(Layer.merge(SpotifyConfig.layer, MemoryTokenStore.layer)),
      Layer.provide(NodeHttpClient.layer),
      Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(
        new Map([
          ["SPOTIFY_CLIENT_ID", "emulator-client"],
          ["SPOTIFY_CLIENT_SECRET", "emulator-secret"],
          ["SPOTIFY_REFRESH_TOKEN", "emulator-refresh-token"],
          ["SPOTIFY_API_URL", url],
          ["SPOTIFY_ACCOUNTS_URL", url]
        ])
      )))
    )
  )

describe("the refresh grant is retried only when it cannot have reached Spotify", () => {
  it.scoped("an answer lost after Spotify rotated the token: one request, and both failures say the token may have rotated", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      yield* emulator.configure({ refreshReturnsNewToken: true })
      yield* emulator.fault({ endpoint: "token", kind: "lost-answer" })
      const ctx = yield* buildLiveSpotify(emulator)
      const auth = Context.get(ctx, SpotifyAuth)
      const fiber = yield* Effect.fork(Effect.flip(auth.accessToken))
      yield* untilRequested(emulator, "/api/token", 1)
      const lost = yield* driveUntilDone(fiber)
      expect(lost).toMatchObject({ _tag: "SpotifyAuthError", reason: "Unavailable" })
      expect(lost.message).toContain("if Spotify rotated the refresh token before the answer was lost, the next sync will say so")
      expect(yield* tokenRequests(emulator)).toBe(1)
      const stored = yield* Effect.flatMap(TokenStore, (store) => store.get).pipe(Effect.provide(ctx))
      expect(Option.map(stored, (t) => t.unanswered_refresh_at_ms)).toEqual(Option.some(20_000))

      const refused = yield* Effect.flip(auth.accessToken)
      expect(refused._tag).toBe("SpotifyAuthRevoked")
      expect(refused.message).toContain(
        "A refresh at 1970-01-01T00:00:20.000Z got no answer: Spotify may have rotated the token then, and the new one never arrived."
      )
    }))

  it.scoped("a 5xx after the refresh was carried out is not retried either; the next good refresh clears the note", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      yield* emulator.fault({ endpoint: "token", kind: "error-after", status: 502 })
      const ctx = yield* buildLiveSpotify(emulator)
      const auth = Context.get(ctx, SpotifyAuth)
      const store = Context.get(ctx, TokenStore)
      const failed = yield* Effect.flip(auth.accessToken)
      expect(failed).toMatchObject({ _tag: "SpotifyAuthError", reason: "Unavailable" })
      expect(yield* tokenRequests(emulator)).toBe(1)
      expect(Option.flatMapNullable(yield* store.get, (t) => t.unanswered_refresh_at_ms)).toEqual(Option.some(0))
      yield* auth.accessToken
      expect(yield* tokenRequests(emulator)).toBe(2)
      const after = yield* store.get
      expect(Option.map(after, (t) => t.unanswered_refresh_at_ms)).toEqual(Option.some(undefined))
      expect(Option.map(after, (t) => Redacted.value(t.refresh_token))).toEqual(Option.some("emulator-refresh-token"))
    }))

  it.scoped("a refused connection is tried three times in 0.6 s, then named; nothing is noted, since nothing was sent", () =>
    Effect.gen(function*() {
      const ctx = yield* liveAt(`http://127.0.0.1:${yield* closedPort}`)
      const fiber = yield* Effect.fork(Effect.flip(Context.get(ctx, SpotifyAuth).accessToken))
      const error = yield* afterQuickRetries(fiber)
      expect(yield* TestClock.currentTimeMillis).toBe(600)
      expect(error).toMatchObject({ _tag: "SpotifyAuthError", reason: "Unavailable" })
      expect(error.message).toMatch(/could not reach http:\/\/127\.0\.0\.1:\d+\/api\/token: connection refused \(ECONNREFUSED\)/)
      expect(error.message).not.toContain("rotated")
      const stored = yield* Context.get(ctx, TokenStore).get
      expect(Option.map(stored, (t) => t.unanswered_refresh_at_ms)).toEqual(Option.some(undefined))
    }))
})

describe("the Web API and the code exchange", () => {
  it.scoped("the API on a refused port ends in 0.6 s on the clock, not after 30 s of backoff", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const port = yield* closedPort
      const ctx = yield* buildLiveSpotify(emulator)
      yield* Context.get(ctx, SpotifyAuth).accessToken
      const apiDown = yield* liveAt(`http://127.0.0.1:${port}`)
      const client = Context.get(apiDown, SpotifyClient)
      const fiber = yield* Effect.fork(Effect.flip(client.recentlyPlayed(50)))
      const error = yield* afterQuickRetries(fiber)
      expect(yield* TestClock.currentTimeMillis).toBe(600)
      expect(error).toMatchObject({ _tag: "SpotifyClientError", reason: "Auth" })
      expect(error.message).toContain("connection refused (ECONNREFUSED)")
    }))

  it.scoped("an authorisation code is sent once: a 5xx after the exchange is not retried, and the user is told to log in again", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const accounts = Context.get(yield* liveAt(emulator.url), SpotifyAccounts)
      const request = yield* accounts.authorize("http://127.0.0.1:9/callback")
      yield* emulator.fault({ endpoint: "token", kind: "error-after", status: 503 })
      const error = yield* Effect.flip(accounts.exchangeCode(Redacted.make("any-code"), request))
      expect(error).toMatchObject({ _tag: "SpotifyAccountsError", reason: "Unavailable" })
      expect(error.message).toContain("A code is single-use, so it was not sent again")
      expect(yield* tokenRequests(emulator)).toBe(1)
    }))
})

describe("connectionFailure names what failed from the system's error code", () => {
  const named = (code: string, wrapped = false) =>
    connectionFailure(wrapped ? new TypeError("fetch failed", { cause: Object.assign(new Error("x"), { code }) }) : { code })

  it("refused, DNS, TLS, timeouts and resets, also when wrapped in a cause", () => {
    expect(named("ECONNREFUSED")).toMatchObject({ reason: "Refused" })
    expect(named("ENOTFOUND", true)).toEqual({ reason: "NameNotFound", description: "DNS name not found (ENOTFOUND)" })
    expect(named("EAI_AGAIN").reason).toBe("NameNotFound")
    expect(named("CERT_HAS_EXPIRED", true)).toMatchObject({ reason: "Tls", description: expect.stringContaining("CERT_HAS_EXPIRED") })
    expect(named("DEPTH_ZERO_SELF_SIGNED_CERT").reason).toBe("Tls")
    expect(named("ETIMEDOUT").reason).toBe("Timeout")
    expect(named("ECONNRESET").description).toBe("the connection was reset (ECONNRESET)")
    expect(connectionFailure(new Error("no code"))).toEqual({ reason: "Network", description: "the connection failed (no error code)" })
  })
})

describe("timeouts", () => {
  it.scoped("the per-attempt timeout covers the body: a hanging token endpoint fails after 20 s on the clock", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      yield* emulator.fault({ endpoint: "token", kind: "hang" })
      const auth = Context.get(yield* buildLiveSpotify(emulator), SpotifyAuth)
      const fiber = yield* Effect.fork(Effect.flip(auth.accessToken))
      yield* untilRequested(emulator, "/api/token", 1)
      yield* TestClock.adjust(Duration.millis(19_999))
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust(Duration.millis(1))
      expect((yield* Fiber.join(fiber)).message).toContain("no answer within 20s")
    }))
})

describe("the size of an answer", () => {
  /** A hostile stand-in for Spotify: any page it serves is a valid start padded without end (until the client hangs up). */
  const paddingServer = Effect.suspend(() => {
    let sent = 0
    const server = loopbackServer((request, response) => {
      if (request.url === "/api/token") {
        response.writeHead(200, { "content-type": "application/json" })
        return response.end(JSON.stringify({ access_token: "a".repeat(40), token_type: "Bearer", expires_in: 3600 }))
      }
      response.writeHead(200, { "content-type": "application/json" })
      response.write("{\"href\":\"x\",\"limit\":50,\"next\":null,\"cursors\":null,\"items\":[],\"padding\":\"")
      const chunk = "x".repeat(64 * 1024)
      const pump = () => {
        while (!response.destroyed && sent < 100 * 1024 * 1024) {
          sent += chunk.length
          if (!response.write(chunk)) return void response.once("drain", pump)
        }
        response.end()
      }
      pump()
    })
    return Effect.map(server, (listening) => ({ url: loopbackEndpoint(listening), sent: () => sent }))
  })

  it.scoped("a page padded without end is refused once it passes 2 MiB, read no further, and nothing is retried", () =>
    Effect.gen(function*() {
      const hostile = yield* paddingServer
      const client = Context.get(yield* liveAt(hostile.url), SpotifyClient)
      const error = yield* Effect.flip(client.recentlyPlayed(50))
      expect(error).toMatchObject({ _tag: "SpotifyClientError", reason: "BadResponse" })
      expect(error.message).toContain("answered with more than 2097152 bytes; no real answer is that big")
      // What the server managed to push before the client hung up: a few socket buffers, never the 100 MB.
      expect(hostile.sent()).toBeLessThan(20 * 1024 * 1024)
    }))
})
