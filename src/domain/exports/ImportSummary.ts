import * as Schema from "effect/Schema"
import { FileTally, Period } from "./ImportRecord.js"

/** One file of the import: its tally, and whether an earlier import already took it in whole. */
export const FileOutcome = Schema.extend(FileTally, Schema.Struct({ seen: Schema.Boolean }))
export type FileOutcome = typeof FileOutcome.Type

/** What `import --json` prints: the files' numbers added up, and the reconciliation with live capture. */
export const ImportSummary = Schema.Struct({
  rows: Schema.Number,
  imported: Schema.Number,
  duplicates: Schema.Number,
  /** Listens in the export that live capture saw too. */
  matched_live: Schema.Number,
  /** Listens only the export has. */
  export_only: Schema.Number,
  /** Live plays in the export's period that no export row matched. */
  live_only: Schema.Number,
  gaps_closed: Schema.Number,
  covers: Schema.NullOr(Period),
  tolerance_ms: Schema.Number,
  files: Schema.Array(FileOutcome),
  /** Files that are not listening histories (the PDF, other account data), left alone. */
  ignored: Schema.Array(Schema.String)
})
export type ImportSummary = typeof ImportSummary.Type
