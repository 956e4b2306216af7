import { HttpClient, HttpClientResponse } from "@effect/platform"
import { ConfigProvider, Effect, Layer, Ref } from "effect"
import { layerSpotify } from "../../src/entrypoints/AppLayer.js"
import { SpotifyConfig } from "../../src/services/spotify/SpotifyConfig.js"
import * as MemoryTokenStore from "../../src/services/tokens/MemoryTokenStore.js"

export interface CannedReply {
  readonly status: number
  readonly body: string
  readonly headers?: Readonly<Record<string, string>>
}

const tokenGrant = JSON.stringify({ access_token: "canned-access", token_type: "Bearer", expires_in: 3600, scope: "user-read-recently-played" })

/**
 * The live Spotify layers over an HTTP transport that answers recently-played with whatever
 * `replies` holds (one per request, the last one repeated) and the token endpoint with a
 * fixed grant: exact bytes in, through the real client's decoding.
 */
export const cannedSpotify = (replies: Ref.Ref<ReadonlyArray<CannedReply>>) => {
  const transport = HttpClient.make((request) =>
    Effect.gen(function*() {
      if (request.url.endsWith("/api/token")) {
        return HttpClientResponse.fromWeb(request, new Response(tokenGrant, { status: 200, headers: { "content-type": "application/json" } }))
      }
      const [next, ...rest] = yield* Ref.get(replies)
      if (next === undefined) return yield* Effect.dieMessage("no canned reply left")
      if (rest.length > 0) yield* Ref.set(replies, rest)
      return HttpClientResponse.fromWeb(request, new Response(next.body, { status: next.status, headers: next.headers ?? {} }))
    })
  )
  const env = new Map([
    ["SPOTIFY_CLIENT_ID", "canned-client"],
    ["SPOTIFY_CLIENT_SECRET", "canned-secret"],
    ["SPOTIFY_REFRESH_TOKEN", "canned-refresh"],
    ["SPOTIFY_API_URL", "http://spotify.test"],
    ["SPOTIFY_ACCOUNTS_URL", "http://accounts.test"]
  ])
  return layerSpotify.pipe(
    Layer.provide(Layer.mergeAll(SpotifyConfig.layer, MemoryTokenStore.layer, Layer.succeed(HttpClient.HttpClient, transport))),
    Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(env)))
  )
}
