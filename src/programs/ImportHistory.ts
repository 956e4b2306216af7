import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import { formatOfName, importOrder } from "../domain/exports/ExportFormat.js"
import type { FileTally, Period } from "../domain/exports/ImportRecord.js"
import type { ImportSummary } from "../domain/exports/ImportSummary.js"
import { defaultToleranceMs } from "../domain/exports/Reconcile.js"
import { nodeCrypto } from "../domain/LazyBuiltins.js"
import { playKey } from "../domain/Play.js"
import { ExportFiles } from "../services/exportfiles/ExportFiles.js"
import { ExportLake } from "../services/exportlake/ExportLake.js"
import { StateStore } from "../services/lake/StateStore.js"
import { type ImportedFile, landFile, type LoadedFile, loadFile, planFile, willLand } from "./ImportFile.js"

export interface ImportProgress {
  readonly filesDone: number
  readonly filesTotal: number
  readonly rowsDone: number
  /** The file being imported, none when done. */
  readonly current: string | null
}

export interface ImportOptions {
  /** How far apart an export's `ts` and the API's `played_at` may be for the same listen. */
  readonly toleranceMs: number
  readonly progress?: (progress: ImportProgress) => Effect.Effect<void>
}

export const defaultImportOptions: ImportOptions = { toleranceMs: defaultToleranceMs }

/** Renewed every 40 s while the import runs: a killed import frees the lake within two minutes. */
const importLeaseTtl = Duration.minutes(2)

const sum = (tallies: ReadonlyArray<FileTally>, field: (tally: FileTally) => number) => tallies.reduce((n, t) => n + field(t), 0)

const spanning = (periods: ReadonlyArray<Period | null>): Period | null =>
  periods.reduce<Period | null>((span, period) =>
    period === null
      ? span
      : span === null
      ? period
      : { from: period.from < span.from ? period.from : span.from, to: period.to > span.to ? period.to : span.to }, null)

/** Live plays in the period that no export row is linked to: what only live capture saw. */
const liveOnly = (covers: Period | null, toleranceMs: number) =>
  Effect.gen(function*() {
    if (covers === null) return 0
    const lake = yield* ExportLake
    const from = Date.parse(covers.from)
    const to = Date.parse(covers.to)
    const plays = (yield* lake.plays(from, to)).filter((play) => play.played_at_ms >= from && play.played_at_ms <= to)
    const margin = Math.max(toleranceMs, 70_000)
    const links = yield* lake.links(from - margin, to + margin)
    const linked = new Set(links.flatMap((link) => link.target === "play" ? [link.play_key] : []))
    return plays.filter((play) => !linked.has(playKey(play))).length
  })

const reconcile = (imported: ReadonlyArray<ImportedFile>) => {
  const listens = new Set<string>()
  const live = new Set<string>()
  const readNow = new Set(imported.filter((file) => !file.seen).map((file) => file.tally.sha256))
  let seenListens = 0
  let seenLive = 0
  for (const file of imported) {
    file.listens.forEach((id) => listens.add(id))
    file.linkedLive.forEach((id) => live.add(id))
    // A file imported before counts with the numbers recorded then (once, if given twice).
    if (file.seen && !readNow.has(file.tally.sha256)) {
      readNow.add(file.tally.sha256)
      seenListens += file.tally.listens
      seenLive += file.tally.linked_live
    }
  }
  return { matched_live: live.size + seenLive, export_only: listens.size - live.size + seenListens - seenLive }
}

/**
 * Imports Spotify's privacy exports (zips, folders or files) into the lake beside live capture,
 * file by file (two in memory at most) so memory stays flat, and reconciles them with the plays
 * captured live.
 */
export const importHistory = Effect.fn("ImportHistory")(function*(paths: ReadonlyArray<string>, options: ImportOptions) {
  const listed = yield* Effect.flatMap(ExportFiles, (files) => files.list(paths))
  // One writer at a time, as for syncs: two imports of overlapping exports would each plan the
  // rows the lake lacks before either landed them, and land them twice. Taken before the first
  // file that will land is planned: a refused file, or one imported before, leaves the lake as it was.
  const holdLake = yield* Effect.once(
    Effect.flatMap(StateStore, (states) => states.leaseRenewed(`import-${nodeCrypto().randomUUID()}`, importLeaseTtl))
  )
  const histories = listed.flatMap((file) => {
    const format = formatOfName(file.name)
    return format === undefined ? [] : [{ file, format, name: file.name }]
  }).sort(importOrder)
  const report = options.progress ?? (() => Effect.void)
  const imported: Array<ImportedFile> = []
  let rowsDone = 0
  let ahead: Fiber.RuntimeFiber<LoadedFile, Effect.Effect.Error<ReturnType<typeof loadFile>>> | undefined
  for (const [index, history] of histories.entries()) {
    yield* report({ filesDone: index, filesTotal: histories.length, rowsDone, current: history.name })
    const loaded = yield* (ahead === undefined ? loadFile(history.file, history.format) : Fiber.join(ahead))
    if (willLand(loaded)) yield* holdLake
    const planned = yield* planFile(loaded, options.toleranceMs)
    // The next file is read and parsed while this one lands, whose writes mostly wait on the disk:
    // two files in memory at most, each planned after the one before it landed.
    const following = histories[index + 1]
    ahead = following === undefined ? undefined : yield* Effect.fork(loadFile(following.file, following.format))
    const file = yield* landFile(planned)
    rowsDone += file.tally.rows
    imported.push(file)
  }
  yield* report({ filesDone: histories.length, filesTotal: histories.length, rowsDone, current: null })

  const tallies = imported.map((file) => file.tally)
  const covers = spanning(tallies.map((tally) => tally.covers))
  const shas = new Set(tallies.map((tally) => tally.sha256))
  // A damaged closure (not one this run wrote: those were just written whole) does not undo the import.
  const closures = (yield* Effect.flatMap(ExportLake, (lake) => lake.closures)).values
  const closedGaps = new Set(closures.filter((closure) => shas.has(closure.sha256)).map((c) => `${c.gap.from}-${c.gap.to}`))
  return {
    rows: sum(tallies, (t) => t.rows),
    imported: sum(tallies, (t) => t.imported),
    duplicates: sum(tallies, (t) => t.duplicates),
    ...reconcile(imported),
    live_only: yield* liveOnly(covers, options.toleranceMs),
    gaps_closed: closedGaps.size,
    covers,
    tolerance_ms: options.toleranceMs,
    files: imported.map((file) => ({ ...file.tally, seen: file.seen })),
    ignored: listed.filter((file) => formatOfName(file.name) === undefined).map((file) => file.name)
  } satisfies ImportSummary
}, Effect.scoped)
