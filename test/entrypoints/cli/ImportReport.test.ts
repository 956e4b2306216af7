import { describe, expect, it } from "@effect/vitest"
import type { ImportSummary } from "../../../src/domain/exports/ImportSummary.js"
import { describeImport } from "../../../src/entrypoints/cli/ImportReport.js"

const summary = (ignored: ReadonlyArray<string>): ImportSummary => ({
  rows: 0,
  imported: 0,
  duplicates: 0,
  matched_live: 0,
  export_only: 0,
  live_only: 0,
  gaps_closed: 0,
  covers: null,
  tolerance_ms: 90_000,
  files: [],
  ignored
})

const leftAlone = (lines: ReadonlyArray<string>) => lines.filter((line) => line.startsWith("Not a listening history"))

describe("describeImport", () => {
  it("names every file left alone from a zip of Spotify's, by its base name", () => {
    expect(leftAlone(describeImport(summary(["MyData/ReadMeFirst.pdf", "MyData/Userdata.json"])))).toEqual([
      "Not a listening history, left alone: ReadMeFirst.pdf, Userdata.json"
    ])
  })

  it("past fifteen, names the first fifteen and counts the rest (a wrong folder must not flood the terminal)", () => {
    const names = Array.from({ length: 2_345 }, (_, i) => `lake/plays/${i}.jsonl`)
    const [line] = leftAlone(describeImport(summary(names)))
    expect(line).toBe(
      `Not a listening history, left alone: ${names.slice(0, 15).map((name) => name.slice(11)).join(", ")}, and 2,330 more (all in --json's ignored)`
    )
  })
})
