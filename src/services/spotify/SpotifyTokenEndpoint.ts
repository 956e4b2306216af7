import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type { SpotifyConfigShape } from "./SpotifyConfig.js"
import type { SpotifyHttpClient, SpotifyHttpError } from "./SpotifyHttp.js"
import { scrub } from "./Scrub.js"

/**
 * A refresh token when Spotify issues one. "When a refresh token is not returned, continue using
 * the existing token": a null or blank one is none too, never a token to store in place of a working one.
 */
const IssuedRefreshToken = Schema.optionalToOptional(Schema.NullOr(Schema.String), Schema.RedactedFromSelf(Schema.String), {
  decode: Option.flatMap((token) => token === null || token.trim() === "" ? Option.none() : Option.some(Redacted.make(token))),
  encode: Option.map(Redacted.value)
})

/** A 200 from `POST /api/token`, for either grant; `refresh_token` only when Spotify issues one. */
export const TokenGrantBody = Schema.parseJson(
  Schema.Struct({
    access_token: Schema.Redacted(Schema.NonEmptyTrimmedString),
    token_type: Schema.String,
    expires_in: Schema.Number,
    scope: Schema.optional(Schema.String),
    refresh_token: IssuedRefreshToken
  })
)
export type TokenGrant = typeof TokenGrantBody.Type

const TokenErrorBody = Schema.parseJson(
  Schema.Struct({ error: Schema.String, error_description: Schema.optional(Schema.String) })
)

/** Spotify answered with an OAuth error (`invalid_grant`, `invalid_client`, ...) or another refusal. */
export class TokenRefused extends Data.TaggedError("TokenRefused")<{
  readonly status: number
  /** OAuth's error code, when the body has one. */
  readonly code: string | null
  readonly description: string
}> {
  /** For refusals neither grant knows what to do with. */
  get unexpected() {
    return `Spotify's token endpoint answered ${this.status} (${this.code ?? "no error code"}: ${this.description}).`
  }
}

/** A 200 whose body is not a grant. Parse issues would quote tokens, so only the problem is named. */
export class TokenUnreadable extends Data.TaggedError("TokenUnreadable")<{ readonly problem: string }> {
  get description() {
    return `Spotify's token endpoint answered 200 ${this.problem}.`
  }
}

const refusedBy = (error: SpotifyHttpError, secrets: ReadonlyArray<Redacted.Redacted<string>>, clientId: string) => {
  const parsed = Schema.decodeUnknownOption(TokenErrorBody)(error.body ?? "")
  const description = Option.getOrElse(Option.flatMapNullable(parsed, (body) => body.error_description), () => "no description")
  return new TokenRefused({
    status: error.status ?? 0,
    code: Option.getOrNull(Option.map(parsed, (body) => scrub(body.error, secrets, clientId))),
    description: scrub(description, secrets, clientId)
  })
}

/** The form fields that carry secrets: a server may quote them back in its refusal. */
const secretFields = ["refresh_token", "code", "code_verifier"]

/**
 * One `POST /api/token` with the app's client authentication: Basic auth when the app has a
 * secret, else `client_id` in the form (PKCE).
 */
export const postToken = (
  client: SpotifyHttpClient,
  config: SpotifyConfigShape,
  params: Readonly<Record<string, string>>
): Effect.Effect<TokenGrant, TokenRefused | TokenUnreadable | SpotifyHttpError> => {
  const secret = config.clientSecret
  const form = HttpClientRequest.post("/api/token").pipe(
    HttpClientRequest.bodyUrlParams({ ...params, ...(Option.isNone(secret) ? { client_id: config.clientId } : {}) })
  )
  const request = Option.isSome(secret) ? HttpClientRequest.basicAuth(form, config.clientId, secret.value) : form
  const secrets = [
    ...Option.toArray(secret),
    ...Object.entries(params).filter(([field]) => secretFields.includes(field)).map(([, value]) => Redacted.make(value))
  ]
  return client.execute(request).pipe(
    Effect.flatMap((response) => response.text),
    Effect.scoped,
    Effect.catchTags({
      ResponseError: () => Effect.fail(new TokenUnreadable({ problem: "with a body that is not text" })),
      SpotifyHttpError: (error) => Effect.fail(error.reason === "Status" ? refusedBy(error, secrets, config.clientId) : error)
    }),
    Effect.flatMap((body) =>
      Schema.decodeUnknown(TokenGrantBody)(body).pipe(
        Effect.mapError(() => new TokenUnreadable({ problem: "with an unreadable body" }))
      )
    )
  )
}

/** `credentials`: where the app's client id and secret are set (ReconnectHint says, per deployment). */
export const invalidClientMessage = (description: string, credentials: string) =>
  `Spotify does not accept the app's credentials (invalid_client: ${description}): check ${credentials}.`
