import { printableLine } from "../../domain/Printable.js"
import type { SqlResult, SqlValue } from "../../services/analytics/SqlEngine.js"

const widest = 48

const text = (value: SqlValue): string =>
  value === null ? "" : typeof value === "object" ? JSON.stringify(value) : String(value)

const clip = (cell: string) => cell.length > widest ? `${cell.slice(0, widest - 1)}…` : cell

/** A result as an aligned text table: numbers to the right, long cells clipped, the row count beneath. */
export const asTable = (result: SqlResult): ReadonlyArray<string> => {
  const names = result.columns.map((column) => column.name)
  // A control character inside a cell would break the table's rows or drive the terminal: shown escaped.
  const cells = result.rows.map((row) => names.map((name) => clip(printableLine(text(row[name] ?? null)))))
  const numeric = names.map((name) => result.rows.every((row) => typeof row[name] === "number" || row[name] === null))
  // A fold, not Math.max(...cells): spreading a large result as arguments overflows the stack.
  const widths = names.map((name, i) => cells.reduce((widest, row) => Math.max(widest, row[i]?.length ?? 0), name.length))
  const line = (row: ReadonlyArray<string>) =>
    row.map((cell, i) => numeric[i] === true ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)).join("  ").trimEnd()
  const count = `(${result.rows.length} ${result.rows.length === 1 ? "row" : "rows"})`
  return [line(names), line(widths.map((w) => "-".repeat(w))), ...cells.map(line), count]
}

const csvCell = (value: SqlValue) => {
  const cell = text(value)
  return /[",\n\r]/.test(cell) ? `"${cell.replaceAll("\"", "\"\"")}"` : cell
}

/** RFC 4180: a header line, then one line per row. */
export const asCsv = (result: SqlResult): ReadonlyArray<string> => {
  const names = result.columns.map((column) => column.name)
  return [names.map((name) => csvCell(name)).join(","), ...result.rows.map((row) => names.map((name) => csvCell(row[name] ?? null)).join(","))]
}

export const asJsonLines = (result: SqlResult): ReadonlyArray<string> => result.rows.map((row) => JSON.stringify(row))
