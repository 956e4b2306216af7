import * as Schema from "effect/Schema"
import type * as AST from "effect/SchemaAST"

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

type JsonKind = "string" | "number" | "boolean" | "null"

const kindsOf = (ast: AST.AST): ReadonlyArray<JsonKind> => {
  switch (ast._tag) {
    case "StringKeyword":
      return ["string"]
    case "NumberKeyword":
      return ["number"]
    case "BooleanKeyword":
      return ["boolean"]
    case "Literal":
      if (ast.literal === null) return ["null"]
      break
    case "Union":
      return ast.types.flatMap(kindsOf)
  }
  throw new Error(`a record guard cannot check ${ast._tag}`)
}

const kindOf = (value: unknown): string => value === null ? "null" : typeof value

const clipped = (text: string) => text.length > 60 ? `${text.slice(0, 60)}…` : text

/**
 * A record schema of optional, nullable JSON primitives, compiled from its own AST into a plain
 * loop: Schema's general decoder costs microseconds per record, which an export of a quarter of a
 * million rows would feel. The schema stays the one definition (a test holds the two equal).
 */
const recordReader = <A extends object, I>(schema: Schema.Schema<A, I>) => {
  if (schema.ast._tag !== "TypeLiteral") throw new Error("a record reader needs a struct schema")
  const fields = schema.ast.propertySignatures.map((signature) => ({
    name: String(signature.name),
    kinds: new Set<string>(kindsOf(signature.type))
  }))
  const is = (record: unknown): record is A => {
    if (typeof record !== "object" || record === null || Array.isArray(record)) return false
    for (const field of fields) {
      const value: unknown = Reflect.get(record, field.name)
      if (value !== undefined && !field.kinds.has(kindOf(value))) return false
    }
    return true
  }
  /** Why `record` is not one: `ms_played is "abc" (expected number or null)`. */
  const explain = (record: unknown): string => {
    if (typeof record !== "object" || record === null || Array.isArray(record)) {
      return `is ${clipped(JSON.stringify(record) ?? String(record))}, not an object`
    }
    const wrong = fields.find((f) => {
      const value: unknown = Reflect.get(record, f.name)
      return value !== undefined && !f.kinds.has(kindOf(value))
    })
    return wrong === undefined
      ? "is valid"
      : `${wrong.name} is ${clipped(JSON.stringify(Reflect.get(record, wrong.name)))} (expected ${[...wrong.kinds].join(" or ")})`
  }
  return { is, explain, fields: fields.map((f) => f.name) }
}

export const extendedReader = recordReader(ExtendedRecord)
export const accountReader = recordReader(AccountRecord)
