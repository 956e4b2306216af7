import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

/** A moment as whole milliseconds since the Unix epoch (UTC). */
export const EpochMs = Schema.Int.pipe(Schema.brand("EpochMs"))
export type EpochMs = typeof EpochMs.Type

/** A clock reading as whole milliseconds (a test clock can stand between two). */
export const epochMsOf = (ms: number): EpochMs => EpochMs.make(Math.floor(ms))

/** The one way an instant is written: ISO-8601 UTC, always with milliseconds (`2025-12-25T08:00:00.000Z`). */
export const isoOf = (ms: number): string => new Date(ms).toISOString()

/** Spotify launched in October 2008: no play, gap or token predates it. */
export const earliestPlausibleMs = Date.UTC(2008, 9, 1)
/** Past this, a timestamp is a placeholder or a broken clock, not a time anyone listened at. */
export const latestPlausibleMs = Date.UTC(2100, 0, 1)

const isoUtc = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/

/**
 * Reads ISO-8601 UTC strictly: a real calendar instant (no February 30, no 24:00, no leap
 * second), with or without a fraction; with `plausible`, only between `earliestPlausibleMs` and
 * `latestPlausibleMs` (for times that come from outside: a play is never from 1970 or 2250).
 */
export const parseIso = (text: string, plausible = false): { readonly ms: EpochMs } | { readonly problem: string } => {
  const match = isoUtc.exec(text)
  if (match === null) return { problem: `expected an ISO-8601 UTC timestamp, got ${JSON.stringify(text)}` }
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number]
  const fraction = Number(`0.${match[7] ?? "0"}`)
  // setUTCFullYear, not Date.UTC: the latter reads years 0 to 99 as 1900 to 1999.
  const back = new Date(0)
  back.setUTCFullYear(year, month - 1, day)
  back.setUTCHours(hour, minute, second)
  const ms = back.getTime() + Math.floor(fraction * 1000)
  const real = back.getUTCFullYear() === year && back.getUTCMonth() === month - 1 && back.getUTCDate() === day &&
    back.getUTCHours() === hour && back.getUTCMinutes() === minute && back.getUTCSeconds() === second
  if (!real) return { problem: `${JSON.stringify(text)} is not a real moment` }
  if (plausible && (ms < earliestPlausibleMs || ms >= latestPlausibleMs)) {
    return { problem: `${JSON.stringify(text)} is outside 2008 to 2099, so it is no real play or record` }
  }
  return { ms: EpochMs.make(ms) }
}

const fromIso = (plausible: boolean) =>
  Schema.transformOrFail(Schema.String, EpochMs, {
    strict: true,
    decode: (text, _, ast) => {
      const parsed = parseIso(text, plausible)
      return "ms" in parsed ? ParseResult.succeed(parsed.ms) : ParseResult.fail(new ParseResult.Type(ast, text, parsed.problem))
    },
    encode: (ms) => ParseResult.succeed(isoOf(ms))
  })

/** ISO-8601 UTC text in our own files, `EpochMs` inside; written back with milliseconds. */
export const InstantFromIso = fromIso(false).annotations({ identifier: "Instant" })

/** The same for a time from outside (Spotify's `played_at`, an export's `ts`): it must also be plausible. */
export const PlausibleInstantFromIso = fromIso(true).annotations({ identifier: "PlausibleInstant" })
