import * as Clock from "effect/Clock"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { type FileProblem, exportFileRows } from "../domain/exports/ExportFileRows.js"
import { baseName, type ExportFormat, isVideoFormat, sourceOf } from "../domain/exports/ExportFormat.js"
import { type ExportRow, isListen, listenThresholdMs } from "../domain/exports/ExportRow.js"
import type { GapClosure } from "../domain/exports/GapClosure.js"
import type { FileTally, ImportRecord, LandingObject } from "../domain/exports/ImportRecord.js"
import { type LinkPlan, planLinks } from "../domain/exports/LinkPlan.js"
import type { Gap } from "../domain/Gap.js"
import type { ExportContent, ExportFile } from "../services/exportfiles/ExportFiles.js"
import { ExportFiles } from "../services/exportfiles/ExportFiles.js"
import { type DayObject, ExportLake, rowObjects, type Versioned } from "../services/exportlake/ExportLake.js"
import { claimedElsewhere, resumePlan, rowsOf } from "./ImportClaims.js"
import { isoOf } from "../domain/Instant.js"

/** A file the import will not take: nothing of it is written. */
export class ExportRefused extends Data.TaggedError("ExportRefused")<{
  readonly reason: FileProblem["reason"]
  readonly file: string
  readonly message: string
}> {}

export interface ImportedFile {
  /** What the file held and what this run did with it. */
  readonly tally: FileTally
  /** An earlier import took the file in whole: this run read it only to know it. */
  readonly seen: boolean
  /** Ids of the file's rows that count as listens of their own (not outranked), and of those found live too. */
  readonly listens: ReadonlySet<string>
  readonly linkedLive: ReadonlySet<string>
}


const count = (rows: ReadonlyArray<ExportRow>, test: (row: ExportRow) => boolean) => rows.reduce((n, row) => test(row) ? n + 1 : n, 0)

const period = (rows: ReadonlyArray<ExportRow>) => {
  let from = Number.POSITIVE_INFINITY
  let to = Number.NEGATIVE_INFINITY
  for (const row of rows) {
    if (row.ended_at_ms < from) from = row.ended_at_ms
    if (row.ended_at_ms > to) to = row.ended_at_ms
  }
  return rows.length === 0 ? undefined : { from, to }
}

/** Video and podcast files say nothing about music, so they close no gap. */
const holdsMusic = (format: ExportFormat) => !isVideoFormat(format) && format !== "account-podcast"

/** A gap is closed by a music file whose rows reach from before it to after it. */
const covered = (gaps: ReadonlyArray<Gap>, span: { readonly from: number; readonly to: number }) =>
  gaps.filter((gap) => span.from <= gap.from && span.to >= gap.to)

const tallyOf = (
  file: { readonly name: string; readonly format: ExportFormat; readonly sha256: string; readonly records: number },
  rows: ReadonlyArray<ExportRow>,
  fresh: number,
  plan: LinkPlan,
  closures: number
): FileTally => {
  const span = period(rows)
  const own = (row: ExportRow) => isListen(row) && !plan.outranked.has(row.row_id)
  return {
    name: baseName(file.name),
    format: file.format,
    source: sourceOf(file.format),
    sha256: file.sha256,
    rows: file.records,
    imported: fresh,
    duplicates: file.records - fresh,
    listens: count(rows, own),
    short: count(rows, (row) => row.kind === "track" && row.ms_played !== null && row.ms_played < listenThresholdMs),
    not_music: count(rows, (row) => row.kind !== "track"),
    incognito: count(rows, (row) => row.incognito === true),
    unmatched: sourceOf(file.format) === "account"
      ? count(rows, (row) => row.kind === "track" && !plan.linkedLive.has(row.row_id) && !plan.outranked.has(row.row_id))
      : 0,
    linked_live: count(rows, (row) => own(row) && plan.linkedLive.has(row.row_id)),
    links: plan.links.length,
    gaps_closed: closures,
    covers: span === undefined ? null : { from: isoOf(span.from), to: isoOf(span.to) }
  }
}

/** A file read, and parsed unless an earlier import took it in: what can be done before its turn. */
export interface LoadedFile {
  readonly file: ExportFile
  readonly format: ExportFormat
  readonly content: ExportContent
  readonly parsed: ReturnType<typeof exportFileRows> | undefined
}

/** The file's record, if an earlier import took the file in whole. */
const importedBefore = (record: Option.Option<{ readonly value: ImportRecord }>) =>
  Option.filter(record, ({ value }) => value.status === "imported")

/**
 * Reads and parses a file; writes nothing, so it can run while the file before it lands. Its
 * plan decides again from the file's record: the same file may be given twice.
 */
export const loadFile = Effect.fn("LoadFile")(function*(file: ExportFile, format: ExportFormat) {
  const content = yield* Effect.flatMap(ExportFiles, (files) => files.read(file))
  // A damaged record says nothing: the file is parsed, and its plan (under the lease) sets the record aside.
  const record = yield* Effect.flatMap(ExportLake, (lake) => lake.importRecord(content.sha256)).pipe(
    Effect.catchIf((error) => error.reason === "Invalid", () => Effect.succeedNone)
  )
  const known = Option.isSome(importedBefore(record))
  return { file, format, content, parsed: known ? undefined : exportFileRows(file.name, format, content.bytes) } satisfies LoadedFile
})

/** Whether planning `loaded` writes the lake: a file neither imported before nor refused. */
export const willLand = (loaded: LoadedFile): boolean => loaded.parsed !== undefined && Either.isRight(loaded.parsed)

/**
 * A file's import decided: an earlier import took it in (`Seen`: only reported), or the rows the
 * lake lacks, the links found and the gaps closed, all to land (`Landing`).
 */
export type PlannedFile =
  | { readonly _tag: "Seen"; readonly result: ImportedFile }
  | {
    readonly _tag: "Landing"
    readonly result: ImportedFile
    readonly fresh: ReadonlyArray<ExportRow>
    readonly links: LinkPlan["links"]
    readonly closures: ReadonlyArray<GapClosure>
    /** The file's record of an import that did not finish, taken up again. */
    readonly recorded: Option.Option<Versioned<ImportRecord>>
    /** Its record otherwise, but for the objects it lands (`landing`) and their rows. */
    readonly draft: ImportRecord
  }

/**
 * Plans one loaded file's import against the lake: its rows the lake lacks, the links it finds,
 * the gaps it closes. It writes nothing but a damaged record set aside: the file's record with
 * the plan (`importing`) is written as it lands, before any of its data, so that a rerun after a
 * crash finishes the same plan.
 */
export const planFile = Effect.fn("PlanFile")(function*(loaded: LoadedFile, toleranceMs: number) {
  const { content, file, format } = loaded
  const lake = yield* ExportLake
  // A record that no longer decodes would refuse this file for ever: kept aside, and the file
  // planned again against the lake, which knows every row it landed. (A file refused below writes nothing.)
  const recorded = yield* lake.importRecord(content.sha256).pipe(
    Effect.catchIf((error) => error.reason === "Invalid", (error) =>
      !willLand(loaded) ? Effect.succeedNone : Effect.gen(function*() {
        const kept = yield* lake.setAsideRecord(content.sha256, yield* Clock.currentTimeMillis)
        yield* Effect.logWarning(`${error.message}: kept as ${kept}, and ${baseName(file.name)} planned again`)
        return Option.none()
      }))
  )
  const earlier = importedBefore(recorded)
  if (Option.isSome(earlier)) {
    const before = earlier.value.value.tally
    const result: ImportedFile = {
      tally: { ...before, imported: 0, duplicates: before.rows, links: 0 },
      seen: true,
      listens: new Set(),
      linkedLive: new Set()
    }
    return { _tag: "Seen", result } satisfies PlannedFile
  }
  const parsed = yield* Either.match(loaded.parsed ?? exportFileRows(file.name, format, content.bytes), {
    onLeft: (problem) =>
      Effect.fail(new ExportRefused({ reason: problem.reason, file: file.name, message: `${problem.message}. Nothing of this file was written.` })),
    onRight: Effect.succeed
  })
  const source = sourceOf(format)
  const { rows } = parsed
  const span = period(rows) ?? { from: 0, to: -1 }
  const margin = Math.max(toleranceMs, 70_000)
  const around = { from: span.from - margin, to: span.to + margin }
  const empty = rows.length === 0

  const stored = empty ? [] : yield* lake.rows(source, span.from, span.to)
  const known = new Set(stored.map((row) => row.row_id))
  const fresh = rows.filter((row) => !known.has(row.row_id))
  const plan = planLinks({
    source,
    rows,
    plays: empty ? [] : yield* lake.plays(around.from, around.to),
    others: empty ? [] : yield* lake.rows(source === "extended" ? "account" : "extended", around.from, around.to),
    existing: empty ? [] : yield* lake.links(around.from - margin, around.to + margin),
    toleranceMs,
    linkedBy: content.sha256
  })
  const gaps = empty || !holdsMusic(format) ? [] : covered(yield* lake.gaps, span)
  const own = rows.filter((row) => isListen(row) && !plan.outranked.has(row.row_id))
  const listens = rows.filter(isListen)
  const now = isoOf(yield* Clock.currentTimeMillis)
  const closures = gaps.map((gap): GapClosure => ({
    gap: { from: gap.from, to: gap.to },
    file: baseName(file.name),
    sha256: content.sha256,
    listens: count(listens, (row) => row.ended_at_ms >= gap.from && row.ended_at_ms <= gap.to),
    closed_at: now
  }))

  // The record's figures wait for the file's objects, made when it lands (while the next file is read).
  const draft: ImportRecord = {
    status: "importing",
    started_at: now,
    finished_at: null,
    bytes: content.bytes.length,
    tally: tallyOf({ name: file.name, format, sha256: content.sha256, records: parsed.records }, rows, fresh.length, plan, closures.length)
  }
  const result: ImportedFile = {
    tally: draft.tally,
    seen: false,
    listens: new Set(own.map((row) => row.row_id)),
    linkedLive: new Set(own.filter((row) => plan.linkedLive.has(row.row_id)).map((row) => row.row_id))
  }
  return { _tag: "Landing", result, fresh, links: plan.links, closures, recorded, draft } satisfies PlannedFile
})

/**
 * The file's record with its plan, saved before any of its data: a first import's (the objects
 * it lands, none another unfinished import claims), or an interrupted one's taken up again.
 */
const saveDraft = Effect.fn("SaveDraft")(function*(planned: Extract<PlannedFile, { readonly _tag: "Landing" }>, objects: ReadonlyArray<DayObject>) {
  const lake = yield* ExportLake
  const planning = objects.map((object): LandingObject => ({ key: object.key, rows: object.lines }))
  const claimed = yield* claimedElsewhere(planned.draft.tally.sha256, planning)
  const landing = planning.filter((object) => !claimed.has(object.key))
  return yield* Option.match(planned.recorded, {
    onSome: (before) => resumePlan(before, landing),
    onNone: () =>
      Effect.gen(function*() {
        const imported = rowsOf(landing)
        const { tally } = planned.draft
        const record: ImportRecord = { ...planned.draft, tally: { ...tally, imported, duplicates: tally.rows - imported }, landing }
        return { record, version: yield* lake.saveImportRecord(record, Option.none()) }
      })
  })
})

/** Lands a planned file: its rows, links and gap closures, then its record marked `imported`. */
export const landFile = Effect.fn("LandFile")(function*(planned: PlannedFile) {
  if (planned._tag === "Seen") return planned.result
  const lake = yield* ExportLake
  const objects = rowObjects(planned.fresh)
  const { record: saved, version } = yield* saveDraft(planned, objects)
  yield* lake.writeRows(objects)
  yield* lake.writeLinks(planned.links)
  yield* Effect.forEach(planned.closures, lake.writeClosure, { discard: true })
  const finishedAt = isoOf(yield* Clock.currentTimeMillis)
  // The objects it landed are named only while the file is importing: status reads every record.
  const { landing: _, ...record } = saved
  yield* lake.saveImportRecord({ ...record, status: "imported", finished_at: finishedAt }, Option.some(version))
  return { ...planned.result, tally: saved.tally } satisfies ImportedFile
})
