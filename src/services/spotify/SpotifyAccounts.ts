import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { nodeCrypto } from "../../domain/LazyBuiltins.js"
import { loginCommand, ReconnectHint } from "./ReconnectHint.js"
import { SpotifyConfig } from "./SpotifyConfig.js"
import { SpotifyHttp } from "./SpotifyHttp.js"
import { invalidClientMessage, postToken, type TokenRefused, TokenUnreadable } from "./SpotifyTokenEndpoint.js"

/** The code exchange failed; messages never quote the code, the verifier or a token. */
export class SpotifyAccountsError extends Data.TaggedError("SpotifyAccountsError")<{
  readonly reason: "InvalidClient" | "InvalidGrant" | "Unavailable" | "BadResponse"
  readonly message: string
  readonly cause?: unknown
}> {}

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

/** What the sync needs, and nothing more. */
export const loginScope = "user-read-recently-played"


const randomText = (bytes: number) => Effect.sync(() => nodeCrypto().randomBytes(bytes).toString("base64url"))

const challengeOf = (verifier: string) => nodeCrypto().createHash("sha256").update(verifier).digest("base64url")

const refusal = (refused: TokenRefused) => {
  if (refused.code === "invalid_grant") {
    return new SpotifyAccountsError({
      reason: "InvalidGrant",
      message: `Spotify refused the authorisation code (invalid_grant: ${refused.description}); codes are single-use and short-lived. ` +
        `Nothing was stored: run \`${loginCommand}\` again.`
    })
  }
  return new SpotifyAccountsError({
    reason: refused.code === "invalid_client" ? "InvalidClient" : "BadResponse",
    message: refused.code === "invalid_client" ? invalidClientMessage(refused.description, ReconnectHint.defaultValue().credentials) : refused.unexpected
  })
}

const makeSpotifyAccounts = Effect.gen(function*() {
  const config = yield* SpotifyConfig
  const { accountsOnce } = yield* SpotifyHttp

  const authorize = Effect.fn("SpotifyAccounts.authorize")(function*(redirectUri: string) {
    const verifier = yield* randomText(48)
    const state = yield* randomText(16)
    const url = new URL(`${config.accountsUrl}/authorize`)
    url.search = new URLSearchParams({
      client_id: config.clientId,
      response_type: "code",
      redirect_uri: redirectUri,
      scope: loginScope,
      state,
      code_challenge_method: "S256",
      code_challenge: challengeOf(verifier)
    }).toString()
    return { url: url.toString(), redirectUri, state, codeVerifier: Redacted.make(verifier) } satisfies AuthorizationRequest
  })

  const exchangeCode = Effect.fn("SpotifyAccounts.exchangeCode")(function*(
    code: Redacted.Redacted<string>,
    request: AuthorizationRequest
  ) {
    const grant = yield* postToken(accountsOnce, config, {
      grant_type: "authorization_code",
      code: Redacted.value(code),
      redirect_uri: request.redirectUri,
      code_verifier: Redacted.value(request.codeVerifier)
    }).pipe(
      Effect.catchTags({
        TokenRefused: (refused) => Effect.fail(refusal(refused)),
        TokenUnreadable: (unreadable) =>
          Effect.fail(new SpotifyAccountsError({ reason: "BadResponse", message: unreadable.description })),
        SpotifyHttpError: (failure) =>
          Effect.fail(
            new SpotifyAccountsError({
              reason: "Unavailable",
              message: `could not exchange the authorisation code with Spotify: ${failure.message}. A code is single-use, ` +
                `so it was not sent again: run \`${loginCommand}\` again.`,
              cause: failure
            })
          )
      })
    )
    if (grant.refresh_token === undefined) {
      return yield* new SpotifyAccountsError({
        reason: "BadResponse",
        message: new TokenUnreadable({ problem: "without a refresh token" }).description
      })
    }
    return {
      refreshToken: grant.refresh_token,
      scope: Option.map(Option.fromNullable(grant.scope), (scope) => scope.split(/\s+/).filter((s) => s !== ""))
    }
  })

  return { authorize, exchangeCode } satisfies SpotifyAccountsShape
})

/** Spotify's accounts service, for connecting an account (the refresh grant lives in SpotifyAuth). */
export class SpotifyAccounts extends Context.Tag("spotify-pipeline/SpotifyAccounts")<SpotifyAccounts, SpotifyAccountsShape>() {
  /** At `$SPOTIFY_ACCOUNTS_URL/authorize` and `/api/token`; needs SpotifyConfig, SpotifyHttp. */
  static readonly layer = Layer.effect(SpotifyAccounts, makeSpotifyAccounts)
}
