import * as Config from "effect/Config"
import { httpUrl } from "../../domain/HttpUrl.js"
import * as Context from "effect/Context"
import * as Layer from "effect/Layer"
import type * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"

export interface SpotifyConfigShape {
  readonly clientId: string
  /** Absent for a PKCE-only (public) app. */
  readonly clientSecret: Option.Option<Redacted.Redacted<string>>
  /** Bootstrap only: once a token is stored, the stored one wins. */
  readonly refreshToken: Option.Option<Redacted.Redacted<string>>
  readonly apiUrl: string
  readonly accountsUrl: string
}

const baseUrl = (name: string, fallback: string) =>
  httpUrl(name).pipe(
    Config.withDefault(new URL(fallback)),
    Config.map((url) => url.toString().replace(/\/+$/, ""))
  )

export const spotifyConfig: Config.Config<SpotifyConfigShape> = Config.all({
  clientId: Config.nonEmptyString("SPOTIFY_CLIENT_ID"),
  clientSecret: Config.option(Config.redacted(Config.nonEmptyString("SPOTIFY_CLIENT_SECRET"))),
  refreshToken: Config.option(Config.redacted(Config.nonEmptyString("SPOTIFY_REFRESH_TOKEN"))),
  apiUrl: baseUrl("SPOTIFY_API_URL", "https://api.spotify.com"),
  accountsUrl: baseUrl("SPOTIFY_ACCOUNTS_URL", "https://accounts.spotify.com")
})

/** The Spotify app's settings, read from the environment (see the README's table). */
export class SpotifyConfig extends Context.Tag("spotify-pipeline/SpotifyConfig")<SpotifyConfig, SpotifyConfigShape>() {
  static readonly layer = Layer.effect(SpotifyConfig, spotifyConfig)
}
