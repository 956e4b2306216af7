import { Context, type Effect, Layer, type Option, type Redacted } from "effect"
import type { SpotifyAuthError, SpotifyAuthRevoked } from "./SpotifyAuthError.js"
import { makeSpotifyAuth } from "./SpotifyAuthLive.js"

export interface SpotifyAuthShape {
  /** A valid access token, refreshed ahead of its expiry; concurrent callers share one refresh. */
  readonly accessToken: Effect.Effect<Redacted.Redacted<string>, SpotifyAuthError | SpotifyAuthRevoked>
  /** Drops the cached access token (after a 401) so the next call refreshes. */
  readonly invalidate: Effect.Effect<void>
  /** When the user authorised the stored refresh token (epoch ms): Spotify ends it six months later. None before one is stored. */
  readonly authorisedAt: Effect.Effect<Option.Option<number>, SpotifyAuthError>
}

export class SpotifyAuth extends Context.Tag("spotify-pipeline/SpotifyAuth")<SpotifyAuth, SpotifyAuthShape>() {
  /** Refresh-token grant against `$SPOTIFY_ACCOUNTS_URL/api/token`; needs SpotifyConfig, TokenStore, HttpClient. */
  static readonly layer = Layer.effect(SpotifyAuth, makeSpotifyAuth)
}
