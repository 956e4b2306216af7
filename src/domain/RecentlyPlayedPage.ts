import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

const isoUtc = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/

/** Spotify's `played_at`: ISO-8601 UTC, with milliseconds or whole seconds, as epoch ms. */
export const PlayedAtMs = Schema.transformOrFail(Schema.String, Schema.Number, {
  strict: true,
  decode: (iso, _, ast) => {
    const ms = isoUtc.test(iso) ? Date.parse(iso) : Number.NaN
    return Number.isFinite(ms)
      ? ParseResult.succeed(ms)
      : ParseResult.fail(new ParseResult.Type(ast, iso, `expected an ISO-8601 UTC timestamp, got ${JSON.stringify(iso)}`))
  },
  encode: (ms) => ParseResult.succeed(new Date(ms).toISOString())
})

export const SimplifiedArtist = Schema.Struct({
  id: Schema.NullOr(Schema.String),
  name: Schema.String,
  uri: Schema.NullOr(Schema.String)
})

export const SimplifiedAlbum = Schema.Struct({
  id: Schema.NullOr(Schema.String),
  name: Schema.String,
  uri: Schema.NullOr(Schema.String)
})

export const Track = Schema.Struct({
  id: Schema.NullOr(Schema.String),
  uri: Schema.String,
  name: Schema.String,
  duration_ms: Schema.Number,
  is_local: Schema.optional(Schema.Boolean),
  artists: Schema.Array(SimplifiedArtist),
  album: SimplifiedAlbum
}).annotations({ identifier: "Track" })
export type Track = typeof Track.Type

export const PlayContext = Schema.Struct({
  type: Schema.String,
  uri: Schema.String,
  href: Schema.optional(Schema.NullOr(Schema.String))
})

export const PlayHistoryItem = Schema.Struct({
  track: Track,
  played_at: PlayedAtMs,
  context: Schema.NullOr(PlayContext)
}).annotations({ identifier: "PlayHistoryItem" })
export type PlayHistoryItem = typeof PlayHistoryItem.Type

export const Cursors = Schema.Struct({
  after: Schema.NullOr(Schema.String),
  before: Schema.NullOr(Schema.String)
})

/** `GET /v1/me/player/recently-played`: newest first, no `total`, `cursors: null` when empty. */
export const RecentlyPlayedPage = Schema.Struct({
  href: Schema.String,
  limit: Schema.Number,
  next: Schema.NullOr(Schema.String),
  cursors: Schema.NullOr(Cursors),
  items: Schema.Array(PlayHistoryItem)
}).annotations({ identifier: "RecentlyPlayedPage" })
export type RecentlyPlayedPage = typeof RecentlyPlayedPage.Type
