import { sha256Hex } from "../../domain/Sha256.js"

const pad = (n: number, width = 2) => String(n).padStart(width, "0")

/** Hive-style partition of a UTC instant: `year=YYYY/month=MM/day=DD`. */
export const partition = (ms: number): string => {
  const d = new Date(ms)
  return `year=${pad(d.getUTCFullYear(), 4)}/month=${pad(d.getUTCMonth() + 1)}/day=${pad(d.getUTCDate())}`
}

export const contentHash = (body: string | Uint8Array): string => sha256Hex(body).slice(0, 16)

export const playsRoot = "plays/"

export const playsPrefix = (dayMs: number) => `${playsRoot}${partition(dayMs)}/`

/** The folder of the plays objects of the UTC month of `ms`. */
export const playsMonthPrefix = (ms: number) => `${playsRoot}${partition(ms).replace(/\/day=\d+$/, "")}/`

export const playsKey = (firstMs: number, lastMs: number, body: string) =>
  `${playsPrefix(firstMs)}${firstMs}-${lastMs}-${contentHash(body)}.jsonl`

const dayObjectName = /\/year=\d{4}\/month=\d{2}\/day=\d{2}\/(\d+)-(\d+)-[0-9a-f]{16}\.jsonl$/

/**
 * The `[first, last]` range a day object's name declares (plays, export rows, links); undefined
 * for any object the lake's own naming did not produce (a stray README or a foreign file is never read).
 */
export const dayObjectRange = (key: string): { readonly firstMs: number; readonly lastMs: number } | undefined => {
  const match = dayObjectName.exec(key)
  return match?.[1] !== undefined && match[2] !== undefined
    ? { firstMs: Number(match[1]), lastMs: Number(match[2]) }
    : undefined
}

/** The same for `plays/` objects only. */
export const playsRange = (key: string) => key.startsWith(playsRoot) ? dayObjectRange(key) : undefined

/**
 * A page from Spotify, gzip-compressed, in the partition of the day it was fetched, named by its
 * newest play and its content: a retried run that fetched the same page writes the same name.
 */
export const rawKey = (fetchedAtMs: number, newestPlayedAtMs: number, body: string) =>
  `raw/recently-played/${partition(fetchedAtMs)}/${newestPlayedAtMs}-${contentHash(body)}.json.gz`

export const gapsPrefix = "state/gaps/"

/** A gap is named by where it starts (what was last captured), so a retry records the same window once. */
export const gapKey = (fromMs: number) => `${gapsPrefix}${fromMs}.json`

/** The start a gap's key names (`<from>.json`). */
export const gapStartOf = (key: string) => Number(/(\d+)(?:-\d+)?\.json$/.exec(key)?.[1] ?? 0)

/** Where `login` keeps the refresh token beside the lake (a folder's file, or an S3 object). */
export const tokenKey = "state/token.json"

/** Objects that no longer decoded and would have stopped every run, kept as they were (`<name>-<ms>.json`). */
export const damagedPrefix = "state/damaged/"

export const asidePrefix = "state/aside/"

/** A play kept aside (stamped in the future), named by the play itself. */
export const asideKey = (playedAtMs: number, line: string) => `${asidePrefix}${playedAtMs}-${contentHash(line)}.json`
