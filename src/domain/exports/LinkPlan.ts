import { type Play, playKey } from "../Play.js"
import type { ExportSource } from "./ExportFormat.js"
import type { ExportLink } from "./ExportLink.js"
import type { ExportRow } from "./ExportRow.js"
import { pairAccountWithExtended, pairAccountWithPlays, pairExtendedWithPlays } from "./Reconcile.js"

export interface LinkInputs {
  readonly source: ExportSource
  /** The rows of the file being imported. */
  readonly rows: ReadonlyArray<ExportRow>
  /** Live plays around the file's period. */
  readonly plays: ReadonlyArray<Play>
  /** The other source's rows around the file's period, from the lake. */
  readonly others: ReadonlyArray<ExportRow>
  /** Links already in the lake around the period: their sides are taken. */
  readonly existing: ReadonlyArray<ExportLink>
  readonly toleranceMs: number
  /** sha256 of the file. */
  readonly linkedBy: string
}

export interface LinkPlan {
  /** Links the lake lacks. */
  readonly links: ReadonlyArray<ExportLink>
  /** The file's rows that are the same listen as a live play (linked before or now). */
  readonly linkedLive: ReadonlySet<string>
  /** The file's account rows that an extended row outranks (linked before or now). */
  readonly outranked: ReadonlySet<string>
}

/** Links the file's rows to live plays and, across sources, account rows to extended rows; one to one, never twice. */
export const planLinks = (inputs: LinkInputs): LinkPlan => {
  const { existing, linkedBy, rows, source } = inputs
  const toPlays = existing.filter((link) => link.target === "play")
  const rowsLinkedLive = new Set(toPlays.map((link) => link.export_row_id))
  const playsTaken = new Set(toPlays.filter((link) => link.export_source === source).map((link) => link.play_key))
  const freeRows = rows.filter((row) => !rowsLinkedLive.has(row.row_id))
  const freePlays = inputs.plays.filter((play) => !playsTaken.has(playKey(play)))
  const livePairs = source === "extended"
    ? pairExtendedWithPlays(freeRows, freePlays, inputs.toleranceMs)
    : pairAccountWithPlays(freeRows, freePlays)
  const live = livePairs.map(({ method, row, target }): ExportLink => ({
    export_row_id: row.row_id,
    export_source: source,
    target: "play",
    play_key: playKey(target),
    extended_row_id: null,
    method,
    delta_ms: row.ended_at_ms - target.played_at_ms,
    at_ms: row.ended_at_ms,
    linked_by: linkedBy
  }))

  const toExtended = existing.filter((link) => link.target === "extended")
  const accountLinked = new Set(toExtended.map((link) => link.export_row_id))
  const extendedTaken = new Set(toExtended.map((link) => link.extended_row_id))
  const [accountRows, extendedRows] = source === "account" ? [rows, inputs.others] : [inputs.others, rows]
  const crossPairs = pairAccountWithExtended(
    accountRows.filter((row) => !accountLinked.has(row.row_id)),
    extendedRows.filter((row) => !extendedTaken.has(row.row_id))
  )
  const cross = crossPairs.map(({ method, row, target }): ExportLink => ({
    export_row_id: row.row_id,
    export_source: "account",
    target: "extended",
    play_key: null,
    extended_row_id: target.row_id,
    method,
    delta_ms: row.ended_at_ms - target.ended_at_ms,
    at_ms: row.ended_at_ms,
    linked_by: linkedBy
  }))

  const mine = new Set(rows.map((row) => row.row_id))
  const ofFile = (ids: Iterable<string>) => new Set([...ids].filter((id) => mine.has(id)))
  return {
    links: [...live, ...cross],
    linkedLive: ofFile([...rowsLinkedLive, ...live.map((link) => link.export_row_id)]),
    outranked: source === "account"
      ? ofFile([...accountLinked, ...cross.map((link) => link.export_row_id)])
      : new Set()
  }
}
