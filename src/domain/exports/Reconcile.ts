import type { Play } from "../Play.js"
import { playKey } from "../Play.js"
import type { ExportRow } from "./ExportRow.js"

/** The default tolerance between an export's `ts` and the API's `played_at` for the same listen. */
export const defaultToleranceMs = 90_000

/**
 * Account data gives only the minute a stream ended, truncated or rounded (Spotify does not say):
 * the instant lies in [minute - 30 s, minute + 60 s), widened by 10 s of clock difference.
 */
const accountWindow = { before: 40_000, after: 70_000, center: 15_000 } as const

const normalName = (name: string): string => name.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim()

interface Pair<R, T> {
  readonly row: R
  readonly target: T
  readonly method: "uri" | "names"
}

interface Rule<R, T> {
  readonly rowId: (row: R) => string
  readonly targetId: (target: T) => string
  readonly targetAt: (target: T) => number
  /** The keys a row looks for and how it found the targets under each. */
  readonly rowKey: (row: R) => readonly [string, "uri" | "names"] | undefined
  readonly targetKeys: (target: T) => ReadonlyArray<string>
  readonly window: (row: R) => { readonly from: number; readonly to: number; readonly center: number }
  readonly accepts: (row: R, target: T) => boolean
}

const compare = (a: string, b: string) => a < b ? -1 : a > b ? 1 : 0

/**
 * Pairs rows with targets, nearest first and one to one: every eligible pair is ranked by its
 * distance (then by ids, so the outcome never depends on input order) and taken while both sides
 * are free. Removing some rows and targets with the pairs they formed leaves the same other pairs,
 * which is what lets an interrupted import finish the links it started.
 */
const pairNearest = <R, T>(rows: ReadonlyArray<R>, targets: ReadonlyArray<T>, rule: Rule<R, T>): ReadonlyArray<Pair<R, T>> => {
  // Indexing a side costs a normalised name per item: an import with nothing on the other side pays none.
  if (rows.length === 0 || targets.length === 0) return []
  const index = new Map<string, Array<T>>()
  for (const target of targets) {
    for (const key of rule.targetKeys(target)) {
      const bucket = index.get(key)
      if (bucket === undefined) index.set(key, [target])
      else bucket.push(target)
    }
  }
  const candidates: Array<{ row: R; target: T; method: "uri" | "names"; distance: number; ids: string }> = []
  for (const row of rows) {
    const key = rule.rowKey(row)
    if (key === undefined) continue
    const window = rule.window(row)
    for (const target of index.get(key[0]) ?? []) {
      const at = rule.targetAt(target)
      if (at < window.from || at > window.to || !rule.accepts(row, target)) continue
      const ids = `${rule.rowId(row)}\u0000${rule.targetId(target)}`
      candidates.push({ row, target, method: key[1], distance: Math.abs(window.center - at), ids })
    }
  }
  candidates.sort((a, b) => a.distance - b.distance || compare(a.ids, b.ids))
  const usedRows = new Set<string>()
  const usedTargets = new Set<string>()
  const pairs: Array<Pair<R, T>> = []
  for (const candidate of candidates) {
    const rowId = rule.rowId(candidate.row)
    const targetId = rule.targetId(candidate.target)
    if (usedRows.has(rowId) || usedTargets.has(targetId)) continue
    usedRows.add(rowId)
    usedTargets.add(targetId)
    pairs.push({ row: candidate.row, target: candidate.target, method: candidate.method })
  }
  return pairs
}

const nameKey = (name: string | null) => name === null ? undefined : `n:${normalName(name)}`

const sameArtist = (artist: string | null, others: ReadonlyArray<string | null>) =>
  artist !== null && others.some((other) => other !== null && normalName(other) === normalName(artist))

const minuteWindow = (row: ExportRow) => ({
  from: row.ended_at_ms - accountWindow.before,
  to: row.ended_at_ms + accountWindow.after,
  center: row.ended_at_ms + accountWindow.center
})

const playSide = {
  targetId: (play: Play) => playKey(play),
  targetAt: (play: Play) => play.played_at_ms,
  targetKeys: (play: Play) => [play.track_uri, `n:${normalName(play.track_name)}`]
}

const rowId = (row: ExportRow) => row.row_id

/** Extended music rows and live plays: the same track URI (or, for a row without one, the same names) within the tolerance. */
export const pairExtendedWithPlays = (rows: ReadonlyArray<ExportRow>, plays: ReadonlyArray<Play>, toleranceMs: number) =>
  pairNearest(rows.filter((row) => row.kind === "track"), plays, {
    ...playSide,
    rowId,
    rowKey: (row) => {
      if (row.track_uri !== null) return [row.track_uri, "uri"]
      const key = nameKey(row.track_name)
      return key === undefined ? undefined : [key, "names"]
    },
    window: (row) => ({ from: row.ended_at_ms - toleranceMs, to: row.ended_at_ms + toleranceMs, center: row.ended_at_ms }),
    accepts: (row, play) => row.track_uri !== null || sameArtist(row.artist_name, play.artist_names)
  })

/** Account music rows and live plays: the same normalised track and artist names within the row's minute. */
export const pairAccountWithPlays = (rows: ReadonlyArray<ExportRow>, plays: ReadonlyArray<Play>) =>
  pairNearest(rows.filter((row) => row.kind === "track"), plays, {
    ...playSide,
    rowId,
    rowKey: (row) => {
      const key = nameKey(row.track_name)
      return key === undefined ? undefined : [key, "names"]
    },
    window: minuteWindow,
    accepts: (row, play) => sameArtist(row.artist_name, play.artist_names)
  })

/** Account music rows and extended rows of the same listen: names within the account row's minute. */
export const pairAccountWithExtended = (accountRows: ReadonlyArray<ExportRow>, extendedRows: ReadonlyArray<ExportRow>) =>
  pairNearest(accountRows.filter((row) => row.kind === "track"), extendedRows.filter((row) => row.kind === "track"), {
    rowId,
    targetId: rowId,
    targetAt: (row) => row.ended_at_ms,
    rowKey: (row) => {
      const key = nameKey(row.track_name)
      return key === undefined ? undefined : [key, "names"]
    },
    targetKeys: (row) => {
      const key = nameKey(row.track_name)
      return key === undefined ? [] : [key]
    },
    window: minuteWindow,
    accepts: (row, target) => sameArtist(row.artist_name, [target.artist_name])
  })
