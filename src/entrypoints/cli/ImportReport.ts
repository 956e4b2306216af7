import { baseName } from "../../domain/exports/ExportFormat.js"
import type { Period } from "../../domain/exports/ImportRecord.js"
import type { FileOutcome, ImportSummary } from "../../domain/exports/ImportSummary.js"
import type { HistoryCoverage } from "../../programs/HistoryCoverage.js"
import { printableLine } from "../../domain/Printable.js"
import { withThousands } from "../../domain/Thousands.js"
import { isKeptRecord } from "../../services/exportlake/ExportLayout.js"

const day = (iso: string) => iso.slice(0, 10)
const span = (period: Period | null) => period === null ? "no rows" : `${day(period.from)} .. ${day(period.to)}`
const n = withThousands

/** The files left alone named on the breakdown (a zip of Spotify's holds a dozen or so); --json has them all. */
const ignoredShown = 15

const columns = ["file", "format", "rows", "landed", "in lake", "not music", "unmatched", "period"] as const

const cells = (file: FileOutcome): ReadonlyArray<string> => [
  // Names come from the zip or folder given, which anyone can craft.
  printableLine(file.name),
  file.format,
  n(file.rows),
  n(file.imported),
  n(file.duplicates),
  n(file.not_music),
  file.source === "account" ? n(file.unmatched) : "-",
  `${span(file.covers)}${file.seen ? "  (imported before)" : ""}`
]

const table = (rows: ReadonlyArray<ReadonlyArray<string>>): ReadonlyArray<string> => {
  const widths = columns.map((_, i) => Math.max(...rows.map((row) => row[i]?.length ?? 0)))
  return rows.map((row) =>
    row.map((cell, i) => i === 0 || i === 1 || i === row.length - 1 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))
      .join("  ").trimEnd()
  )
}

/** The import for people: every file and what became of its rows, then what the export and live capture each saw. */
export const describeImport = (summary: ImportSummary): ReadonlyArray<string> => {
  const header = [
    summary.files.length === 0
      ? "No listening history found in the paths given."
      : `${n(summary.rows)} rows in ${summary.files.length} files: ${n(summary.imported)} landed, ${n(summary.duplicates)} already in the lake.`
  ]
  const files = summary.files.length === 0 ? [] : ["", ...table([columns, ...summary.files.map(cells)]).map((line) => `  ${line}`)]
  const shown = summary.ignored.slice(0, ignoredShown).map((name) => printableLine(baseName(name)))
  const more = summary.ignored.length - shown.length
  const ignored = summary.ignored.length === 0
    ? []
    : ["", `Not a listening history, left alone: ${shown.join(", ")}${more === 0 ? "" : `, and ${n(more)} more (all in --json's ignored)`}`]
  const covers = summary.covers
  const reconciliation = covers === null ? [] : [
    "",
    `Reconciliation with live capture, ${span(covers)} (listens: music streams of 30 s or more; same listen within ${summary.tolerance_ms / 1000} s):`,
    `  found live too:      ${n(summary.matched_live)}`,
    `  only in the export:  ${n(summary.export_only)}  (before capture began, private sessions, gaps)`,
    `  only live:           ${n(summary.live_only)}`,
    `  gaps closed:         ${n(summary.gaps_closed)}`
  ]
  return [...header, ...files, ...ignored, ...reconciliation]
}

/**
 * `status`' lines on the whole history: which source covers what, and which gaps no export closed
 * yet. `keptDamaged`: what runs set aside under state/damaged/ (a file's import record among them
 * means rows that file landed before are counted by no record).
 */
export const describeCoverage = (coverage: HistoryCoverage, keptDamaged: ReadonlyArray<string> = []): ReadonlyArray<string> => {
  // Rows an unfinished import landed, or a file landed before its record was set aside, are in the lake and in no record's count.
  const atLeast = coverage.unfinished.length > 0 || keptDamaged.some(isKeptRecord)
  return [
    `history:    ${coverage.from === null ? "nothing yet" : `from ${coverage.from}`}`,
    ...coverage.sources.map((source) =>
      `            ${source.source.padEnd(8)} ${span(source)}${
        source.files === null || source.rows === null ? "" : ` (${source.files} files, ${atLeast ? "at least " : ""}${n(source.rows)} rows)`
      }`
    ),
    // The windows themselves are listed under `gaps:` (status) or in state/gaps/: here, what is left open.
    `open gaps:  ${coverage.open_gap_count === 0 ? "none" : n(coverage.open_gap_count)}` +
    (coverage.closed_gaps === 0 ? "" : ` (${n(coverage.closed_gaps)} closed by an imported export)`),
    ...coverage.unfinished.map((file) =>
      `UNFINISHED IMPORT: ${printableLine(baseName(file.name))}, begun ${file.started_at}: unless an import is running now, it ` +
      "stopped part way (its rows may be partly in the lake, counted nowhere). Import that file again to finish it."
    )
  ]
}
