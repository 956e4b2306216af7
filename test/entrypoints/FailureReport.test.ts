import { describe, expect, it } from "@effect/vitest"
import { describeDefect } from "../../src/entrypoints/FailureReport.js"

describe("describeDefect", () => {
  it("names the error in one line, without its stack", () => {
    const line = describeDefect(new RangeError("Maximum call stack size exceeded"))
    expect(line).toBe("Stopped by an unexpected error (a bug in spotify-pipeline; please report it): RangeError: Maximum call stack size exceeded")
  })

  it("names a thrown value that is not an Error", () => {
    expect(describeDefect("boom")).toMatch(/: boom$/)
  })
})
