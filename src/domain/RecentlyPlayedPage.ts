import * as Schema from "effect/Schema"
import { TrackId, TrackUri } from "./Ids.js"
import { PlausibleInstantFromIso } from "./Instant.js"

/** Spotify's `played_at`: ISO-8601 UTC, with milliseconds or whole seconds, read strictly (see `parseIso`). */
export const PlayedAtMs = PlausibleInstantFromIso

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
  id: Schema.NullOr(TrackId),
  uri: TrackUri,
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
