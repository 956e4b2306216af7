import { NodeHttpClient } from "@effect/platform-node"
import { Chunk, Clock, ConfigProvider, Effect, Layer, TestClock } from "effect"
import * as Emulator from "../../src/emulator/Emulator.js"
import { layerSpotify } from "../../src/entrypoints/AppLayer.js"
import { waitUntil } from "./Waiting.js"
import { SpotifyConfig } from "../../src/services/spotify/SpotifyConfig.js"
import { TokenStore } from "../../src/services/tokens/TokenStore.js"
import * as MemoryTokenStore from "../../src/services/tokens/MemoryTokenStore.js"

/** Later than any play a test's emulator makes (its timeline starts 2026-01-05): a sync under the TestClock runs after them. */
export const afterEmulatedPlays = Date.UTC(2026, 2, 1)

export interface LiveSettings {
  /** Omit the client secret: a PKCE public client. */
  readonly publicClient?: boolean
  /** `null`: no SPOTIFY_REFRESH_TOKEN at all. */
  readonly refreshToken?: string | null
  /** Where the refresh token is kept (default: a fresh memory store). */
  readonly tokenStore?: Layer.Layer<TokenStore>
}

/** The live Spotify layers, over real HTTP, pointed at `emulator` by environment settings only. */
export const liveSpotify = (emulator: Emulator.Emulator, settings: LiveSettings = {}) => {
  const env = new Map([
    ["SPOTIFY_CLIENT_ID", "emulator-client"],
    ["SPOTIFY_API_URL", emulator.url],
    ["SPOTIFY_ACCOUNTS_URL", emulator.url]
  ])
  if (settings.refreshToken !== null) env.set("SPOTIFY_REFRESH_TOKEN", settings.refreshToken ?? "emulator-refresh-token")
  if (settings.publicClient !== true) env.set("SPOTIFY_CLIENT_SECRET", "emulator-secret")
  return layerSpotify.pipe(
    Layer.provideMerge(Layer.merge(SpotifyConfig.layer, settings.tokenStore ?? MemoryTokenStore.layer)),
    Layer.provide(NodeHttpClient.layer),
    Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(env)))
  )
}

/** The live layers built into the caller's scope, so their HTTP client outlives single calls. */
export const buildLiveSpotify = (emulator: Emulator.Emulator, settings: LiveSettings = {}) =>
  Layer.build(liveSpotify(emulator, settings))

/** Waits (on real I/O, not on time) until some fiber sleeps until exactly `delayMs` from now on the TestClock. */
export const untilSleepingFor = (delayMs: number) =>
  Effect.gen(function*() {
    const now = yield* Clock.currentTimeMillis
    yield* waitUntil(
      `a fiber to sleep exactly ${delayMs} ms on the TestClock`,
      Effect.map(TestClock.sleeps(), Chunk.some((at) => at === now + delayMs)),
      Effect.map(TestClock.sleeps(), (sleeps) => `sleeps until +[${Chunk.toArray(sleeps).map((at) => at - now).join(", ")}] ms`)
    )
  })

export const requestsTo = (emulator: Emulator.Emulator, path: string) =>
  Effect.map(emulator.requests, (all) => all.filter((r) => r.path === path))

/** Waits (on real I/O, not on time) until the emulator has seen `count` requests to `path`. */
export const untilRequested = (emulator: Emulator.Emulator, path: string, count: number) =>
  waitUntil(
    `${count} request(s) to ${path}`,
    Effect.map(requestsTo(emulator, path), (requests) => requests.length >= count),
    Effect.map(requestsTo(emulator, path), (requests) => `${requests.length}`)
  )
