import { Context, type Effect, Layer, type Option, type Redacted } from "effect"
import type { SpotifyAccountsError } from "./SpotifyAccountsError.js"
import { makeSpotifyAccounts } from "./SpotifyAccountsLive.js"

export { SpotifyAccountsError } from "./SpotifyAccountsError.js"
export { loginScope } from "./SpotifyAccountsLive.js"

/** One attempt to connect: the address to open and the secrets that tie its answer to it. */
export interface AuthorizationRequest {
  readonly url: string
  readonly redirectUri: string
  /** Sent with the request and echoed back by Spotify: an answer with another state is not ours. */
  readonly state: string
  readonly codeVerifier: Redacted.Redacted<string>
}

export interface CodeGrant {
  readonly refreshToken: Redacted.Redacted<string>
  /** The scopes Spotify granted, when it says. */
  readonly scope: Option.Option<ReadonlyArray<string>>
}

export interface SpotifyAccountsShape {
  /** A fresh request to `/authorize`: Authorization Code with PKCE (S256), a random state, scope `loginScope`. */
  readonly authorize: (redirectUri: string) => Effect.Effect<AuthorizationRequest>
  /** Trades the code for tokens: Basic auth when the app has a secret, else `client_id`; always the PKCE verifier. */
  readonly exchangeCode: (
    code: Redacted.Redacted<string>,
    request: AuthorizationRequest
  ) => Effect.Effect<CodeGrant, SpotifyAccountsError>
}

/** Spotify's accounts service, for connecting an account (the refresh grant lives in SpotifyAuth). */
export class SpotifyAccounts extends Context.Tag("spotify-pipeline/SpotifyAccounts")<SpotifyAccounts, SpotifyAccountsShape>() {
  /** At `$SPOTIFY_ACCOUNTS_URL/authorize` and `/api/token`; needs SpotifyConfig, HttpClient. */
  static readonly layer = Layer.effect(SpotifyAccounts, makeSpotifyAccounts)
}
