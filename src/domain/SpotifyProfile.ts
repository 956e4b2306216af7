import * as Schema from "effect/Schema"

/** The part of `GET /v1/me` that says whose account is connected (`display_name` may be null). */
export const SpotifyProfile = Schema.Struct({
  id: Schema.String,
  display_name: Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null })
})
export type SpotifyProfile = typeof SpotifyProfile.Type

export const SpotifyProfileFromJson = Schema.parseJson(SpotifyProfile)
