import { Context, type Effect, Layer } from "effect"
import type { RecentlyPlayedPage } from "../domain/RecentlyPlayedPage.js"
import type { SpotifyProfile } from "../domain/SpotifyProfile.js"
import type { SpotifyAuthRevoked } from "./SpotifyAuthError.js"
import type { SpotifyClientError } from "./SpotifyClientError.js"
import { makeSpotifyClient } from "./SpotifyClientLive.js"

export interface RecentlyPlayedQuery {
  readonly limit: number
  readonly after?: number
  readonly before?: number
}

export interface RecentlyPlayedResponse {
  readonly page: RecentlyPlayedPage
  /** The body exactly as Spotify sent it, for the lake's `raw/` copy. */
  readonly body: string
}

export interface SpotifyClientShape {
  readonly recentlyPlayed: (
    query: RecentlyPlayedQuery
  ) => Effect.Effect<RecentlyPlayedResponse, SpotifyClientError | SpotifyAuthRevoked>
  /** Whose account the stored token belongs to (`GET /v1/me`). */
  readonly me: Effect.Effect<SpotifyProfile, SpotifyClientError | SpotifyAuthRevoked>
}

export class SpotifyClient extends Context.Tag("spotify-pipeline/SpotifyClient")<SpotifyClient, SpotifyClientShape>() {
  /** Over HTTP at `$SPOTIFY_API_URL/v1/...`; needs SpotifyConfig, SpotifyAuth, HttpClient. */
  static readonly layer = Layer.effect(SpotifyClient, makeSpotifyClient)
}
