import { afterAll, describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fc from "fast-check"
import { play, scenario } from "./Scenario.js"

const runs = Number(process.env.RELIABILITY_RUNS ?? 150)
const totals = { scenarios: 0, expected: 0, lost: 0, duplicated: 0, gaps: 0 }

describe("random listening, faults and crashes (fast-check, seeded)", () => {
  it("no play a successful sync saw is lost, no line is duplicated, every possible loss is a recorded gap, the cursor never moves back", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (steps) => {
        const verdict = await Effect.runPromise(play(steps))
        totals.scenarios++
        totals.expected += verdict.expected
        totals.lost += verdict.lost.length
        totals.duplicated += verdict.duplicated
        totals.gaps += verdict.gaps
        expect(verdict.lost).toEqual([])
        expect(verdict.duplicated).toBe(0)
        expect(verdict.unrecorded).toEqual([])
        expect(verdict.cursorWentBack).toBe(false)
      }),
      { numRuns: runs, seed: 20261126 }
    )
  }, 60_000 + runs * 200)
})

// The totals are for `npm run test:reliability`, which sets RELIABILITY_RUNS; `npm test` stays quiet.
afterAll(() => {
  if (process.env.RELIABILITY_RUNS === undefined) return
  process.stdout.write(
    `reliability: ${totals.scenarios} scenarios, ${totals.expected} plays expected, ${totals.lost} lost, ${totals.duplicated} duplicated, ${totals.gaps} gaps all recorded\n`
  )
})
