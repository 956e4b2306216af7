import type { Catalog } from "./Catalog.js"
import { exportListens } from "./ExportListens.js"
import { exportPackage, type PackageFile, zipPackage } from "./ExportPackage.js"
import type * as Timeline from "./Timeline.js"

export interface ExportOptions {
  /** `current` (default): Streaming_History_Audio_* and StreamingHistory_music_N; `older`: endsong_N and StreamingHistoryN. */
  readonly style?: "current" | "older"
  /** Listens before the timeline, back to `historyFromMs` (default 400, over the five years before it). */
  readonly olderListens?: number
  readonly historyFromMs?: number
  /** Records per extended file (Spotify's are about 15,000). */
  readonly rowsPerFile?: number
  /** When Spotify made the export (default three days after the last play). */
  readonly madeAtMs?: number
}

const day = 24 * 60 * 60_000

/**
 * What Spotify's privacy exports hold for a timeline: every play the API showed (same track, `ts`
 * within seconds of `played_at`), plus what it never shows: older history, private sessions,
 * podcasts, an audiobook, video, short skips, removed content, repeated rows.
 */
export const exportFiles = (
  catalog: Catalog,
  plays: ReadonlyArray<Timeline.Play>,
  seed: number,
  startMs: number,
  options: ExportOptions = {}
): ReadonlyArray<PackageFile> => {
  const firstMs = plays[0]?.playedAtMs ?? startMs
  const lastMs = plays[plays.length - 1]?.playedAtMs ?? startMs
  const listens = exportListens(catalog, plays, {
    olderListens: options.olderListens ?? 400,
    historyFromMs: options.historyFromMs ?? firstMs - 5 * 365 * day,
    untilMs: firstMs,
    seed
  })
  return exportPackage(listens, {
    style: options.style ?? "current",
    rowsPerFile: options.rowsPerFile ?? 15_000,
    madeAtMs: options.madeAtMs ?? lastMs + 3 * day,
    seed
  })
}

export { type PackageFile, zipPackage }
