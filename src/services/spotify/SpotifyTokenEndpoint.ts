import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type { SpotifyReply } from "./SpotifyTransport.js"

/** A 200 from `POST /api/token`, for either grant; `refresh_token` only when Spotify issues one. */
export const TokenGrantBody = Schema.parseJson(
  Schema.Struct({
    access_token: Schema.Redacted(Schema.String),
    token_type: Schema.String,
    expires_in: Schema.Number,
    scope: Schema.optional(Schema.String),
    refresh_token: Schema.optional(Schema.Redacted(Schema.String))
  })
)

const TokenErrorBody = Schema.parseJson(
  Schema.Struct({ error: Schema.String, error_description: Schema.optional(Schema.String) })
)

export interface TokenRefusal {
  /** OAuth's error code (`invalid_grant`, `invalid_client`, ...), when the body has one. */
  readonly code: string | null
  readonly description: string
  /** For refusals neither grant knows what to do with. */
  readonly unexpected: string
}

/** Reads a non-200 answer of the token endpoint. */
export const tokenRefusal = (reply: SpotifyReply): TokenRefusal => {
  const parsed = Schema.decodeUnknownOption(TokenErrorBody)(reply.body)
  const code = Option.getOrNull(Option.map(parsed, (body) => body.error))
  const description = Option.flatMapNullable(parsed, (body) => body.error_description).pipe(
    Option.getOrElse(() => "no description")
  )
  return {
    code,
    description,
    unexpected: `Spotify's token endpoint answered ${reply.status} (${code ?? "no error code"}: ${description}).`
  }
}

export const invalidClientMessage = (description: string) =>
  `Spotify does not accept the app's credentials (invalid_client: ${description}): check SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET.`
