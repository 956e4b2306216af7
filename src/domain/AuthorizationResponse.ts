import * as Option from "effect/Option"
import * as Schema from "effect/Schema"

/** The user approved: a single-use code to exchange. */
export const Approved = Schema.Struct({
  code: Schema.Redacted(Schema.NonEmptyString),
  state: Schema.optional(Schema.String)
})

/** The user declined (`access_denied`) or Spotify refused the request. */
export const Refused = Schema.Struct({
  error: Schema.NonEmptyString,
  error_description: Schema.optional(Schema.String),
  state: Schema.optional(Schema.String)
})

/** The query Spotify's `/authorize` redirects back with; an error wins over a code. */
export const AuthorizationResponse = Schema.Union(Refused, Approved)
export type AuthorizationResponse = typeof AuthorizationResponse.Type

const decode = Schema.decodeUnknownOption(AuthorizationResponse)

/** None when the query holds neither a code nor an error, so it is not Spotify's answer. */
export const authorizationResponseFromQuery = (query: URLSearchParams): Option.Option<AuthorizationResponse> =>
  decode(Object.fromEntries(query))

/** A pasted redirect address, or just its query; None when it is neither. */
export const authorizationResponseFromText = (text: string): Option.Option<AuthorizationResponse> => {
  const trimmed = text.trim()
  if (URL.canParse(trimmed)) return authorizationResponseFromQuery(new URL(trimmed).searchParams)
  return trimmed.includes("=") ? authorizationResponseFromQuery(new URLSearchParams(trimmed)) : Option.none()
}
