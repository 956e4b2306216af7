import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type { StoredToken } from "../../domain/StoredToken.js"
import { TokenStoreError } from "./TokenStore.js"
import type { SecretVersion } from "./SpotifySecret.js"

/**
 * The secret's JSON, as a person puts it (README, "Deploy to AWS"):
 *
 *   { "client_id": "...", "client_secret": "...", "refresh_token": "...", "authorised_at": "2026-01-05T08:00:00Z" }
 *
 * `client_secret` is left out for a PKCE app; `authorised_at` (when the user approved the app,
 * which starts Spotify's six-month clock) defaults to when that secret value was stored. The
 * pipeline rewrites `refresh_token` when Spotify rotates it and keeps every other key as it was.
 */
export const SecretFields = Schema.Struct({
  client_id: Schema.optional(Schema.NonEmptyString),
  client_secret: Schema.optional(Schema.NullOr(Schema.Redacted(Schema.NonEmptyString))),
  refresh_token: Schema.optional(Schema.Redacted(Schema.NonEmptyString)),
  authorised_at: Schema.optional(Schema.DateTimeUtc),
  bootstrap_fingerprint: Schema.optional(Schema.NullOr(Schema.String)),
  unanswered_refresh_at: Schema.optional(Schema.DateTimeUtc)
})

const JsonObject = Schema.parseJson(Schema.Record({ key: Schema.String, value: Schema.Unknown }))

export interface SecretContents {
  /** Every key as stored, so a write-back keeps what the person put there. */
  readonly raw: Readonly<Record<string, unknown>>
  readonly fields: typeof SecretFields.Type
}

export interface AppCredentials {
  readonly clientId: string
  readonly clientSecret: Option.Option<Redacted.Redacted<string>>
}

const shape = `{"client_id": "...", "client_secret": "...", "refresh_token": "..."}`

const corrupt = (message: string) => new TokenStoreError({ reason: "Corrupt", message })

/** Parse issues quote the input, which holds secrets: messages name only the secret and the fields at fault. */
const fieldsAtFault = (error: ParseResult.ParseError) => [
  ...new Set(
    ParseResult.ArrayFormatter.formatErrorSync(error)
      .filter((issue) => issue.path.length > 0)
      .map((issue) => issue.path.map(String).join("."))
  )
]

export const decodeSecret = (id: string, version: SecretVersion): Effect.Effect<SecretContents, TokenStoreError> =>
  Effect.gen(function*() {
    const raw = yield* Schema.decodeUnknown(JsonObject)(Redacted.value(version.text)).pipe(
      Effect.mapError(() => corrupt(`The secret ${id} does not hold a JSON object; put ${shape} into it`))
    )
    const fields = yield* Schema.decodeUnknown(SecretFields, { errors: "all" })(raw).pipe(
      Effect.mapError((error) => corrupt(`The secret ${id} has bad field(s): ${fieldsAtFault(error).join(", ")}`))
    )
    return { raw, fields }
  })

/** None while the secret holds no refresh token yet. */
export const storedTokenOf = (
  id: string,
  contents: SecretContents,
  version: SecretVersion
): Effect.Effect<Option.Option<StoredToken>, TokenStoreError> => {
  const { fields } = contents
  if (fields.refresh_token === undefined) return Effect.succeedNone
  const authorisedAtMs = fields.authorised_at === undefined
    ? version.createdAtMs
    : Option.some(DateTime.toEpochMillis(fields.authorised_at))
  if (Option.isNone(authorisedAtMs)) {
    return Effect.fail(corrupt(`The secret ${id} does not say when the refresh token was authorised (authorised_at)`))
  }
  return Effect.succeed(Option.some({
    refresh_token: fields.refresh_token,
    authorised_at_ms: authorisedAtMs.value,
    bootstrap_fingerprint: fields.bootstrap_fingerprint ?? null,
    ...(fields.unanswered_refresh_at === undefined
      ? {}
      : { unanswered_refresh_at_ms: DateTime.toEpochMillis(fields.unanswered_refresh_at) })
  }))
}

/** The secret's new text: `token` in place of the old one, every other key kept. */
export const withStoredToken = (contents: SecretContents, token: StoredToken): Redacted.Redacted<string> => {
  const kept = Object.entries(contents.raw).filter(([key]) =>
    !["refresh_token", "authorised_at", "bootstrap_fingerprint", "unanswered_refresh_at"].includes(key)
  )
  return Redacted.make(JSON.stringify({
    ...Object.fromEntries(kept),
    refresh_token: Redacted.value(token.refresh_token),
    authorised_at: DateTime.formatIso(DateTime.unsafeMake(token.authorised_at_ms)),
    ...(token.bootstrap_fingerprint === null ? {} : { bootstrap_fingerprint: token.bootstrap_fingerprint }),
    ...(token.unanswered_refresh_at_ms === undefined
      ? {}
      : { unanswered_refresh_at: DateTime.formatIso(DateTime.unsafeMake(token.unanswered_refresh_at_ms)) })
  }))
}

export const appCredentialsOf = (id: string, contents: SecretContents): Effect.Effect<AppCredentials, TokenStoreError> => {
  const { client_id, client_secret } = contents.fields
  return client_id === undefined
    ? Effect.fail(corrupt(`The secret ${id} has no client_id yet; put ${shape} into it`))
    : Effect.succeed({ clientId: client_id, clientSecret: Option.fromNullable(client_secret) })
}
