import * as Either from "effect/Either"
import { baseName, type ExportFormat, sourceOf, timeKeyOf } from "./ExportFormat.js"
import { accountReader, extendedReader } from "./ExportRecords.js"
import type { ExportRow } from "./ExportRow.js"
import { accountRow, extendedRow } from "./RowFromRecord.js"
import { withThousands } from "../Thousands.js"

/** Why a file was refused; `message` names the file and, for a bad record, the record. */
export interface FileProblem {
  readonly reason: "NotJson" | "Truncated" | "NotAnArray" | "WrongShape" | "BadRecord"
  readonly message: string
}

export interface FileRows {
  /** Records the file holds. */
  readonly records: number
  /** One row per identity, in file order: identical streams are one row. */
  readonly rows: ReadonlyArray<ExportRow>
}

const counted = withThousands

// Fatal: a file re-saved as Latin-1 would otherwise land its accented names as U+FFFD for ever.
const decoder = new TextDecoder("utf-8", { fatal: true })

const parseJson = (name: string, bytes: Uint8Array): Either.Either<unknown, FileProblem> => {
  let text: string
  try {
    text = decoder.decode(bytes)
  } catch {
    return Either.left({
      reason: "NotJson",
      message: `${name} is not UTF-8 text, as every file Spotify exports is (was it saved again in another encoding?)`
    })
  }
  try {
    return Either.right(JSON.parse(text))
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause)
    return Either.left(
      /end of JSON input|Unterminated/i.test(detail)
        ? { reason: "Truncated", message: `${name} is truncated: its JSON ends early (${detail})` }
        : { reason: "NotJson", message: `${name} is not valid JSON (${detail})` }
    )
  }
}

/** A name claims a format; the records must agree (never trust one alone). */
const shapeProblem = (name: string, format: ExportFormat, records: ReadonlyArray<unknown>): FileProblem | undefined => {
  const source = sourceOf(format)
  const other = source === "extended" ? "account" : "extended"
  const first = records[0]
  if (typeof first !== "object" || first === null) return undefined
  if (timeKeyOf(source) in first || !(timeKeyOf(other) in first)) return undefined
  return {
    reason: "WrongShape",
    message: `${name} is named like ${source === "extended" ? "an extended streaming history" : "account data"} file, ` +
      `but record 1 has ${timeKeyOf(other)} instead of ${timeKeyOf(source)}, as ${other === "extended" ? "extended history" : "account data"} records do`
  }
}

/**
 * Every record of one export file as a lake row, or the first reason it cannot be imported. A
 * refused file is refused whole: the import writes nothing of it.
 */
export const exportFileRows = (path: string, format: ExportFormat, bytes: Uint8Array): Either.Either<FileRows, FileProblem> =>
  Either.gen(function*() {
    const name = baseName(path)
    const parsed = yield* parseJson(name, bytes)
    if (!Array.isArray(parsed)) {
      return yield* Either.left<FileProblem>({ reason: "NotAnArray", message: `${name} is not a JSON array of records, as every Spotify history file is` })
    }
    const records: ReadonlyArray<unknown> = parsed
    const shape = shapeProblem(name, format, records)
    if (shape !== undefined) return yield* Either.left(shape)
    const unique = new Map<string, ExportRow>()
    const extended = sourceOf(format) === "extended"
    for (let i = 0; i < records.length; i++) {
      const record = records[i]
      const row = extended
        ? extendedReader.is(record) ? extendedRow(record, format, name) : Either.left(extendedReader.explain(record))
        : accountReader.is(record) ? accountRow(record, format, name) : Either.left(accountReader.explain(record))
      if (Either.isLeft(row)) {
        return yield* Either.left<FileProblem>({ reason: "BadRecord", message: `${name} record ${counted(i + 1)}: ${row.left}` })
      }
      if (!unique.has(row.right.row_id)) unique.set(row.right.row_id, row.right)
    }
    return { records: records.length, rows: [...unique.values()] }
  })
