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

const daysInMonth = (year: number, month: number) =>
  month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28
    : month === 4 || month === 6 || month === 9 || month === 11
    ? 30
    : 31

/** Whole milliseconds of `text`'s UTC fields; years 0 to 99 are those years, not 1900 to 1999 as Date.UTC reads them. */
const utcMs = (year: number, month: number, day: number, hour: number, minute: number, second: number) => {
  if (year >= 100) return Date.UTC(year, month - 1, day, hour, minute, second)
  const back = new Date(0)
  back.setUTCFullYear(year, month - 1, day)
  back.setUTCHours(hour, minute, second)
  return back.getTime()
}

/**
 * Reads ISO-8601 UTC strictly: a real calendar instant (no February 30, no 24:00, no leap
 * second), with or without a fraction; with `plausible`, only between `earliestPlausibleMs` and
 * `latestPlausibleMs` (for times that come from outside: a play is never from 1970 or 2250).
 * Imports read one per stream, hundreds of thousands at a time: no Date is made for the checks.
 */
export const parseIso = (text: string, plausible = false): { readonly ms: EpochMs } | { readonly problem: string } => {
  const match = isoUtc.exec(text)
  if (match === null) return { problem: `expected an ISO-8601 UTC timestamp, got ${JSON.stringify(text)}` }
  const year = Number(match[1])
  const month = Number(match[2])
  const day = Number(match[3])
  const hour = Number(match[4])
  const minute = Number(match[5])
  const second = Number(match[6])
  const real = month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) && hour < 24 && minute < 60 && second < 60
  if (!real) return { problem: `${JSON.stringify(text)} is not a real moment` }
  const fraction = match[7]
  const ms = utcMs(year, month, day, hour, minute, second) + (fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000))
  if (plausible && (ms < earliestPlausibleMs || ms >= latestPlausibleMs)) {
    return { problem: `${JSON.stringify(text)} is outside 2008 to 2099, so it is no real play or record` }
  }
  // Whole by construction: the brand's check would cost as much as the parse.
  return { ms: EpochMs.make(ms, true) }
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
