import * as Schema from "effect/Schema"
import { sha256Hex } from "../Sha256.js"
import { ExportSource } from "./ExportFormat.js"

export const ExportKind = Schema.Literal("track", "episode", "audiobook", "video", "unknown")
export type ExportKind = typeof ExportKind.Type

const text = Schema.NullOr(Schema.String)
const flag = Schema.NullOr(Schema.Boolean)

/** One line of `exports/source=…/…/*.jsonl`: one stream from a privacy export, snake_case. */
export const ExportRow = Schema.Struct({
  row_id: Schema.String,
  source: ExportSource,
  ended_at: Schema.String,
  ended_at_ms: Schema.Number,
  ended_at_precision: Schema.Literal("s", "min"),
  ms_played: Schema.NullOr(Schema.Number),
  kind: ExportKind,
  track_uri: text,
  track_name: text,
  artist_name: text,
  album_name: text,
  episode_uri: text,
  episode_name: text,
  show_name: text,
  audiobook_uri: text,
  audiobook_title: text,
  audiobook_chapter_uri: text,
  audiobook_chapter_title: text,
  reason_start: text,
  reason_end: text,
  skipped: flag,
  shuffle: flag,
  offline: flag,
  offline_at: text,
  incognito: flag,
  platform: text,
  conn_country: text,
  source_file: Schema.String
})
export type ExportRow = typeof ExportRow.Type

export const ExportRowFromJson = Schema.parseJson(ExportRow)

type Identity = Pick<
  ExportRow,
  | "source"
  | "ended_at_ms"
  | "ms_played"
  | "track_uri"
  | "episode_uri"
  | "audiobook_chapter_uri"
  | "audiobook_uri"
  | "artist_name"
  | "show_name"
  | "track_name"
  | "episode_name"
>

/** What makes two rows the same stream: the URI, or the names when a row has none. */
export const identityText = (row: Identity): string => {
  const uri = row.track_uri ?? row.episode_uri ?? row.audiobook_chapter_uri ?? row.audiobook_uri
  const what = uri ?? `${row.artist_name ?? row.show_name ?? ""}\u001f${row.track_name ?? row.episode_name ?? ""}`.toLowerCase()
  return `${row.source}|${row.ended_at_ms}|${what}|${row.ms_played}`
}

export const rowIdOf = (identity: string): string => sha256Hex(identity).slice(0, 16)

/** Spotify counts a stream from 30 seconds on; so do the import's figures. */
export const listenThresholdMs = 30_000

/**
 * Whether a row counts as a music listen. Nothing is dropped at import; this rule applies when
 * counting. Skipped and incognito rows count (`skipped` is false for every row Spotify wrote
 * between 2015-04-13 and 2022-10-16, so it cannot decide anything); an unknown duration counts.
 */
export const isListen = (row: Pick<ExportRow, "kind" | "ms_played">): boolean =>
  row.kind === "track" && (row.ms_played === null || row.ms_played >= listenThresholdMs)

export const byEndedAt = (a: ExportRow, b: ExportRow): number =>
  a.ended_at_ms - b.ended_at_ms || (a.row_id < b.row_id ? -1 : a.row_id > b.row_id ? 1 : 0)
