import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { createHash, randomBytes } from "node:crypto"
import { loginCommand } from "./ReconnectHint.js"
import { SpotifyConfig } from "./SpotifyConfig.js"
import { invalidClientMessage, TokenGrantBody, tokenRefusal } from "./SpotifyTokenEndpoint.js"
import { send, type SpotifyReply } from "./SpotifyTransport.js"

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


const randomText = (bytes: number) => Effect.sync(() => randomBytes(bytes).toString("base64url"))

const challengeOf = (verifier: string) => createHash("sha256").update(verifier).digest("base64url")

const refusal = (reply: SpotifyReply) => {
  const { code, description, unexpected } = tokenRefusal(reply)
  if (code === "invalid_grant") {
    return new SpotifyAccountsError({
      reason: "InvalidGrant",
      message: `Spotify refused the authorisation code (invalid_grant: ${description}); codes are single-use and short-lived. ` +
        `Nothing was stored: run \`${loginCommand}\` again.`
    })
  }
  if (code === "invalid_client") {
    return new SpotifyAccountsError({
      reason: "InvalidClient",
      message: invalidClientMessage(description)
    })
  }
  return new SpotifyAccountsError({
    reason: "BadResponse",
    message: unexpected
  })
}

// Parse issues quote the body, which holds tokens: the message names the problem only, with no cause kept.
const unreadable = (problem: string) =>
  new SpotifyAccountsError({ reason: "BadResponse", message: `Spotify's token endpoint answered 200 ${problem}.` })

const makeSpotifyAccounts = Effect.gen(function*() {
  const config = yield* SpotifyConfig
  const http = yield* HttpClient.HttpClient

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
    const secret = config.clientSecret
    const token = HttpClientRequest.post(`${config.accountsUrl}/api/token`).pipe(
      HttpClientRequest.acceptJson,
      HttpClientRequest.bodyUrlParams({
        grant_type: "authorization_code",
        code: Redacted.value(code),
        redirect_uri: request.redirectUri,
        code_verifier: Redacted.value(request.codeVerifier),
        ...(Option.isNone(secret) ? { client_id: config.clientId } : {})
      }),
      (req) => Option.isSome(secret) ? HttpClientRequest.basicAuth(req, config.clientId, secret.value) : req
    )
    const reply = yield* send(http, token).pipe(
      Effect.mapError((failure) =>
        new SpotifyAccountsError({
          reason: "Unavailable",
          message: `could not exchange the authorisation code with Spotify: ${failure.message}`,
          cause: failure
        })
      )
    )
    if (reply.status !== 200) return yield* refusal(reply)
    const grant = yield* Schema.decodeUnknown(TokenGrantBody)(reply.body).pipe(
      Effect.mapError(() => unreadable("with an unreadable body"))
    )
    if (grant.refresh_token === undefined) return yield* unreadable("without a refresh token")
    return {
      refreshToken: grant.refresh_token,
      scope: Option.map(Option.fromNullable(grant.scope), (scope) => scope.split(/\s+/).filter((s) => s !== ""))
    }
  })

  return { authorize, exchangeCode } satisfies SpotifyAccountsShape
})

/** Spotify's accounts service, for connecting an account (the refresh grant lives in SpotifyAuth). */
export class SpotifyAccounts extends Context.Tag("spotify-pipeline/SpotifyAccounts")<SpotifyAccounts, SpotifyAccountsShape>() {
  /** At `$SPOTIFY_ACCOUNTS_URL/authorize` and `/api/token`; needs SpotifyConfig, HttpClient. */
  static readonly layer = Layer.effect(SpotifyAccounts, makeSpotifyAccounts)
}
