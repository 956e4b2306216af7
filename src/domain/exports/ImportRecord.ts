import * as Schema from "effect/Schema"
import { ExportFormat, ExportSource } from "./ExportFormat.js"

export const Period = Schema.Struct({ from: Schema.String, to: Schema.String })
export type Period = typeof Period.Type

/** What one file held and what became of it; the same numbers the import prints for the file. */
export const FileTally = Schema.Struct({
  name: Schema.String,
  format: ExportFormat,
  source: ExportSource,
  sha256: Schema.String,
  rows: Schema.Number,
  imported: Schema.Number,
  duplicates: Schema.Number,
  listens: Schema.Number,
  short: Schema.Number,
  not_music: Schema.Number,
  incognito: Schema.Number,
  unmatched: Schema.Number,
  linked_live: Schema.Number,
  links: Schema.Number,
  gaps_closed: Schema.Number,
  covers: Schema.NullOr(Period)
})
export type FileTally = typeof FileTally.Type

/** A day object a file's plan lands, and how many of its rows it holds. */
export const LandingObject = Schema.Struct({ key: Schema.String, rows: Schema.Number })
export type LandingObject = typeof LandingObject.Type

/**
 * `state/imports/<sha256 of the file>.json`. Written before the file's data with its plan
 * (`importing`) and marked `imported` after, so an interrupted import, run again, finishes the same
 * plan and leaves the same record a clean run leaves. While `importing` it names the day objects
 * the plan lands (`landing`): run again, the file counts those it finds as its own, and not the
 * rows another import landed meanwhile.
 */
export const ImportRecord = Schema.Struct({
  status: Schema.Literal("importing", "imported"),
  started_at: Schema.String,
  finished_at: Schema.NullOr(Schema.String),
  bytes: Schema.Number,
  tally: FileTally,
  landing: Schema.optional(Schema.Array(LandingObject))
})
export type ImportRecord = typeof ImportRecord.Type
