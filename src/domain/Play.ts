import * as Schema from "effect/Schema"
import { TrackId, TrackUri } from "./Ids.js"
import { EpochMs, isoOf } from "./Instant.js"
import type { PlayHistoryItem } from "./RecentlyPlayedPage.js"

/** One line of `plays/…/*.jsonl`: the lake's contract, snake_case, read by Athena and DuckDB. */
export const Play = Schema.Struct({
  played_at: Schema.String,
  played_at_ms: EpochMs,
  track_id: Schema.NullOr(TrackId),
  track_uri: TrackUri,
  track_name: Schema.String,
  duration_ms: Schema.Number,
  artist_ids: Schema.Array(Schema.NullOr(Schema.String)),
  artist_names: Schema.Array(Schema.String),
  album_id: Schema.NullOr(Schema.String),
  album_name: Schema.String,
  context_type: Schema.NullOr(Schema.String),
  context_uri: Schema.NullOr(Schema.String),
  is_local: Schema.Boolean,
  source: Schema.Literal("api")
})
export type Play = typeof Play.Type

export const PlayFromJson = Schema.parseJson(Play)

export const playFromItem = (item: PlayHistoryItem): Play => ({
  played_at: isoOf(item.played_at),
  played_at_ms: item.played_at,
  track_id: item.track.id,
  track_uri: item.track.uri,
  track_name: item.track.name,
  duration_ms: item.track.duration_ms,
  artist_ids: item.track.artists.map((artist) => artist.id),
  artist_names: item.track.artists.map((artist) => artist.name),
  album_id: item.track.album.id,
  album_name: item.track.album.name,
  context_type: item.context?.type ?? null,
  context_uri: item.context?.uri ?? null,
  is_local: item.track.is_local ?? item.track.id === null,
  source: "api"
})

/**
 * A play's identity in the lake: the same track ending in the same second is the same play.
 * Spotify reports one play with milliseconds or cut to whole seconds, and no track can be
 * played twice within a second.
 */
export const playKey = (play: { readonly played_at_ms: number; readonly track_uri: string }): string =>
  `${Math.floor(play.played_at_ms / 1000)}|${play.track_uri}`

export const byPlayedAt = (a: Play, b: Play): number =>
  a.played_at_ms - b.played_at_ms || (a.track_uri < b.track_uri ? -1 : a.track_uri > b.track_uri ? 1 : 0)
