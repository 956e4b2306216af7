import * as Option from "effect/Option"
import type { ExportSource } from "../../domain/exports/ExportFormat.js"
import { contentHash, damagedPrefix, partition } from "../lake/LakeLayout.js"

export const exportsRoot = (source: ExportSource) => `exports/source=${source}/`

export const linksRoot = "links/"

export const importsPrefix = "state/imports/"

export const closuresPrefix = "state/gap-closures/"

/** `<root><partition>/<first_ms>-<last_ms>-<hash16>.jsonl`, the plays' naming for every dataset. */
export const dayObjectKey = (root: string, firstMs: number, lastMs: number, body: string | Uint8Array) =>
  `${root}${partition(firstMs)}/${firstMs}-${lastMs}-${contentHash(body)}.jsonl`

export const importKey = (sha256: string) => `${importsPrefix}${sha256}.json`

/** The name a damaged import record is kept under in state/damaged/ (`import-<sha16>-<ms>.json`). */
export const keptRecordName = (sha256: string) => `import-${sha256.slice(0, 16)}`

/** Whether a key of state/damaged/ is an import record kept there (see `keptRecordName`). */
export const isKeptRecord = (key: string) => key.startsWith(`${damagedPrefix}import-`)

export const closureKey = (gap: { readonly from: number; readonly to: number }, sha256: string) =>
  `${closuresPrefix}${gap.from}-${gap.to}-${sha256.slice(0, 16)}.json`

/** The gap span a closure's key names. */
export const closureSpanOf = (key: string): Option.Option<{ readonly from: number; readonly to: number }> => {
  const match = /(\d+)-(\d+)-[0-9a-f]{16}\.json$/.exec(key)
  return match === null ? Option.none() : Option.some({ from: Number(match[1]), to: Number(match[2]) })
}

const pad = (n: number) => String(n).padStart(2, "0")

/** The month folders (`<root>year=YYYY/month=MM/`) a UTC range touches: listing them finds its day objects. */
export const monthPrefixes = (root: string, fromMs: number, toMs: number): ReadonlyArray<string> => {
  const from = new Date(fromMs)
  const months: Array<string> = []
  for (let month = from.getUTCMonth(); Date.UTC(from.getUTCFullYear(), month, 1) <= toMs; month++) {
    const start = new Date(Date.UTC(from.getUTCFullYear(), month, 1))
    months.push(`${root}year=${start.getUTCFullYear()}/month=${pad(start.getUTCMonth() + 1)}/`)
  }
  return months
}
