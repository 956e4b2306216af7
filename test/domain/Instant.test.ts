import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { earliestPlausibleMs, latestPlausibleMs, parseIso } from "../../src/domain/Instant.js"

/** The definition parseIso must agree with: the fields, set on a Date, read back unchanged. */
const reference = (text: string, plausible: boolean): number | undefined => {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/.exec(text)
  if (match === null) return undefined
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number]
  const back = new Date(0)
  back.setUTCFullYear(year, month - 1, day)
  back.setUTCHours(hour, minute, second)
  const same = back.getUTCFullYear() === year && back.getUTCMonth() === month - 1 && back.getUTCDate() === day &&
    back.getUTCHours() === hour && back.getUTCMinutes() === minute && back.getUTCSeconds() === second
  const ms = back.getTime() + Math.floor(Number(`0.${match[7] ?? "0"}`) * 1000)
  return same && (!plausible || (ms >= earliestPlausibleMs && ms < latestPlausibleMs)) ? ms : undefined
}

const pad = (n: number, width: number) => String(n).padStart(width, "0")
const candidate = fc.record({
  year: fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(0, 4, 99, 100, 1900, 2000, 2008, 2024, 2099, 2100)),
  month: fc.integer({ min: 0, max: 13 }),
  day: fc.integer({ min: 0, max: 32 }),
  hour: fc.integer({ min: 0, max: 25 }),
  minute: fc.integer({ min: 0, max: 61 }),
  second: fc.integer({ min: 0, max: 61 }),
  fraction: fc.option(fc.stringMatching(/^\d{1,9}$/), { nil: undefined })
}).map(({ day, fraction, hour, minute, month, second, year }) =>
  `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}${fraction === undefined ? "" : `.${fraction}`}Z`
)

const outcome = (text: string, plausible: boolean) => {
  const parsed = parseIso(text, plausible)
  return "ms" in parsed ? parsed.ms : undefined
}

describe("parseIso", () => {
  it("agrees with reading the fields back from a Date, for real moments and impossible ones alike", () => {
    fc.assert(
      fc.property(candidate, fc.boolean(), (text, plausible) => {
        expect(outcome(text, plausible)).toBe(reference(text, plausible))
      }),
      { numRuns: 20_000 }
    )
  })

  it("knows leap years, the last second of a day and the years before 100", () => {
    expect(outcome("2024-02-29T12:00:00Z", false)).toBe(Date.UTC(2024, 1, 29, 12))
    for (const impossible of ["2023-02-29T12:00:00Z", "1900-02-29T00:00:00Z", "2024-02-30T00:00:00Z", "2024-04-31T00:00:00Z",
      "2024-01-01T24:00:00Z", "2024-12-31T23:59:60Z", "2024-00-10T00:00:00Z"]) {
      expect(parseIso(impossible), impossible).toEqual({ problem: `${JSON.stringify(impossible)} is not a real moment` })
    }
    expect(outcome("2000-02-29T00:00:00.999999Z", false)).toBe(Date.UTC(2000, 1, 29) + 999)
    expect(outcome("0050-06-01T00:00:00Z", false)).toBe(new Date("0050-06-01T00:00:00Z").getTime())
    expect(outcome("2008-09-30T23:59:59Z", true)).toBeUndefined()
    expect(outcome("2008-10-01T00:00:00Z", true)).toBe(earliestPlausibleMs)
  })
})
