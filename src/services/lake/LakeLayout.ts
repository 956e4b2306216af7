import { createHash } from "node:crypto"

const pad = (n: number, width = 2) => String(n).padStart(width, "0")

/** Hive-style partition of a UTC instant: `year=YYYY/month=MM/day=DD`. */
export const partition = (ms: number): string => {
  const d = new Date(ms)
  return `year=${d.getUTCFullYear()}/month=${pad(d.getUTCMonth() + 1)}/day=${pad(d.getUTCDate())}`
}

export const contentHash = (body: string): string => createHash("sha256").update(body).digest("hex").slice(0, 16)

export const playsPrefix = (dayMs: number) => `plays/${partition(dayMs)}/`

export const playsKey = (firstMs: number, lastMs: number, body: string) =>
  `${playsPrefix(firstMs)}${firstMs}-${lastMs}-${contentHash(body)}.jsonl`

export const rawKey = (fetchedAtMs: number, body: string) =>
  `raw/recently-played/${partition(fetchedAtMs)}/${fetchedAtMs}-${contentHash(body)}.json`

export const gapsPrefix = "state/gaps/"

export const gapKey = (fromMs: number, toMs: number) => `${gapsPrefix}${fromMs}-${toMs}.json`

export const runKey = (startedAtMs: number, body: string) =>
  `state/runs/${partition(startedAtMs)}/${startedAtMs}-${contentHash(body)}.json`

const playsName = /\/(\d+)-(\d+)-[0-9a-f]+\.jsonl$/

/** The `[first, last]` played_at range a plays object's name declares, if it follows the layout. */
export const playsRange = (key: string): { readonly firstMs: number; readonly lastMs: number } | undefined => {
  const match = playsName.exec(key)
  return match?.[1] !== undefined && match[2] !== undefined
    ? { firstMs: Number(match[1]), lastMs: Number(match[2]) }
    : undefined
}
