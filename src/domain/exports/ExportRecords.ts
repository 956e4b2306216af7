import * as Schema from "effect/Schema"
import { flatStruct } from "../FlatStruct.js"

// Spotify adds, renames and nulls fields over the years: every field may be missing or null.
const maybe = <S extends Schema.Schema.Any>(schema: S) => Schema.optionalWith(Schema.NullOr(schema), { exact: true })

/**
 * One record of an extended streaming history file (`Streaming_History_Audio_*`, `endsong_*`,
 * and their video files). Fields the lake never keeps (`ip_addr`, `username`, ...) are not read.
 */
export const ExtendedRecord = Schema.Struct({
  ts: maybe(Schema.String),
  platform: maybe(Schema.String),
  ms_played: maybe(Schema.Number),
  conn_country: maybe(Schema.String),
  master_metadata_track_name: maybe(Schema.String),
  master_metadata_album_artist_name: maybe(Schema.String),
  master_metadata_album_album_name: maybe(Schema.String),
  spotify_track_uri: maybe(Schema.String),
  episode_name: maybe(Schema.String),
  episode_show_name: maybe(Schema.String),
  spotify_episode_uri: maybe(Schema.String),
  audiobook_title: maybe(Schema.String),
  audiobook_uri: maybe(Schema.String),
  audiobook_chapter_uri: maybe(Schema.String),
  audiobook_chapter_title: maybe(Schema.String),
  reason_start: maybe(Schema.String),
  reason_end: maybe(Schema.String),
  shuffle: maybe(Schema.Boolean),
  skipped: maybe(Schema.Boolean),
  offline: maybe(Schema.Boolean),
  offline_timestamp: maybe(Schema.Number),
  incognito_mode: maybe(Schema.Boolean)
}).annotations({ identifier: "ExtendedRecord" })
export type ExtendedRecord = typeof ExtendedRecord.Type

/** One record of an account-data file (`StreamingHistory_music_N`, `_podcast_N`, older `StreamingHistoryN`). */
export const AccountRecord = Schema.Struct({
  endTime: maybe(Schema.String),
  artistName: maybe(Schema.String),
  trackName: maybe(Schema.String),
  podcastName: maybe(Schema.String),
  episodeName: maybe(Schema.String),
  msPlayed: maybe(Schema.Number)
}).annotations({ identifier: "AccountRecord" })
export type AccountRecord = typeof AccountRecord.Type

const clipped = (text: string) => text.length > 60 ? `${text.slice(0, 60)}…` : text

/**
 * A record schema compiled into a plain loop (see flatStruct), and why a value is not one:
 * `ms_played is "abc" (expected number or null)`. A test holds the loop and the schema equal.
 */
const recordReader = <A extends object, I>(schema: Schema.Schema<A, I>) => {
  const compiled = flatStruct(schema)
  if (compiled === undefined) throw new Error("a record reader needs a struct of JSON primitives")
  const { fields, is } = compiled
  const explain = (record: unknown): string => {
    if (typeof record !== "object" || record === null || Array.isArray(record)) {
      return `is ${clipped(JSON.stringify(record) ?? String(record))}, not an object`
    }
    const wrong = fields.find((f) => {
      const value: unknown = Reflect.get(record, f.name)
      return value !== undefined && !f.accepts(value)
    })
    return wrong === undefined
      ? "is valid"
      : `${wrong.name} is ${clipped(JSON.stringify(Reflect.get(record, wrong.name)))} (expected ${wrong.expected.join(" or ")})`
  }
  return { is, explain, fields: fields.map((f) => f.name) }
}

export const extendedReader = recordReader(ExtendedRecord)
export const accountReader = recordReader(AccountRecord)
