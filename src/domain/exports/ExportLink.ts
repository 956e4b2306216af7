import * as Schema from "effect/Schema"
import { ExportSource } from "./ExportFormat.js"

/**
 * One line of `links/…/*.jsonl`: an export row and the live play (or the extended row) that is the
 * same listen, as the import found them, so the analytics layer joins on them instead of guessing.
 */
export const ExportLink = Schema.Struct({
  export_row_id: Schema.String,
  export_source: ExportSource,
  target: Schema.Literal("play", "extended"),
  play_key: Schema.NullOr(Schema.String),
  extended_row_id: Schema.NullOr(Schema.String),
  method: Schema.Literal("uri", "names"),
  /** The export row's ended_at_ms minus the target's instant. */
  delta_ms: Schema.Number,
  /** The export row's ended_at_ms: the link's partition. */
  at_ms: Schema.Number,
  /** sha256 of the file whose import made the link. */
  linked_by: Schema.String
})
export type ExportLink = typeof ExportLink.Type

export const ExportLinkFromJson = Schema.parseJson(ExportLink)

/** What a link joins: an export row to one target; each side takes part in at most one link per target kind. */
const targetKey = (link: ExportLink): string =>
  link.target === "play" ? `play:${link.play_key}` : `extended:${link.extended_row_id}`

export const byLinkedAt = (a: ExportLink, b: ExportLink): number =>
  a.at_ms - b.at_ms || (a.export_row_id < b.export_row_id ? -1 : a.export_row_id > b.export_row_id ? 1 : 0) ||
  (targetKey(a) < targetKey(b) ? -1 : targetKey(a) > targetKey(b) ? 1 : 0)
