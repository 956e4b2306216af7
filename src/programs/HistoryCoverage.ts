import * as Effect from "effect/Effect"
import type { FileTally, Period } from "../domain/exports/ImportRecord.js"
import { isoOf } from "../domain/Instant.js"
import { ExportLake } from "../services/exportlake/ExportLake.js"
import type { DamagedObject } from "../services/lake/LakeCodec.js"
import { gapsShown } from "./SyncStatus.js"

export interface SourceCoverage extends Period {
  readonly source: "extended" | "account" | "live"
  /** Files imported, and the rows the lake holds from them (each landed by one file); none for live capture. */
  readonly files: number | null
  readonly rows: number | null
}

export interface HistoryCoverage {
  /** The oldest moment any source reaches. */
  readonly from: string | null
  readonly sources: ReadonlyArray<SourceCoverage>
  /** Gaps in live capture that no imported export has closed. */
  readonly open_gap_count: number
  /** The latest of them (at most `gapsShown`), oldest first. */
  readonly open_gaps: ReadonlyArray<Period>
  readonly closed_gaps: number
  /**
   * Files whose import began and has not finished: one running now, or one stopped part way (some
   * of its rows may be in the lake, counted nowhere yet). Importing the file again finishes it.
   */
  readonly unfinished: ReadonlyArray<{ readonly name: string; readonly started_at: string }>
  /** Import records that do not decode: named, and left out of the figures above. */
  readonly damaged: ReadonlyArray<DamagedObject>
}

/** The lake holds imported exports: an import's record, readable or not. */
export const holdsImports = (coverage: HistoryCoverage): boolean =>
  coverage.sources.some((covered) => covered.source !== "live") || coverage.damaged.length > 0 || coverage.unfinished.length > 0

/**
 * The rows the lake holds for a source, from the import records alone (status reads no export
 * object): what each file landed. A row an export repeats, or an overlapping export holds again,
 * was counted by one file: the one that landed it, or the unfinished one whose plan named it.
 */
const rowsHeld = (tallies: ReadonlyArray<FileTally>) => tallies.reduce((sum, tally) => sum + tally.imported, 0)

/** What the lake's history covers: each export source and live capture, and the gaps left open. */
export const historyCoverage = Effect.gen(function*() {
  const lake = yield* ExportLake
  const stored = yield* lake.importRecords
  const records = stored.values.filter((record) => record.status === "imported")
  const exports = (["extended", "account"] as const).flatMap((source): ReadonlyArray<SourceCoverage> => {
    const tallies = records.map((record) => record.tally).filter((tally) => tally.source === source)
    const periods = tallies.flatMap((tally) => tally.covers === null ? [] : [tally.covers])
    if (periods.length === 0) return []
    return [{
      source,
      from: periods.map((p) => p.from).sort()[0] ?? "",
      to: periods.map((p) => p.to).sort().reverse()[0] ?? "",
      files: tallies.length,
      rows: rowsHeld(tallies)
    }]
  })
  const live = yield* lake.liveSpan
  const sources: ReadonlyArray<SourceCoverage> = live === null
    ? exports
    : [...exports, { source: "live", from: isoOf(live.firstMs), to: isoOf(live.lastMs), files: null, rows: null }]
  const gaps = yield* lake.gapStanding(gapsShown)
  return {
    from: sources.map((source) => source.from).sort()[0] ?? null,
    sources,
    open_gap_count: gaps.open,
    open_gaps: gaps.latestOpen.map((gap) => ({ from: isoOf(gap.from), to: isoOf(gap.to) })),
    closed_gaps: gaps.closed,
    unfinished: stored.values.filter((record) => record.status === "importing")
      .map((record) => ({ name: record.tally.name, started_at: record.started_at }))
      .sort((a, b) => a.started_at.localeCompare(b.started_at)),
    damaged: stored.damaged
  } satisfies HistoryCoverage
}).pipe(Effect.withSpan("HistoryCoverage"))
