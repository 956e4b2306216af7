import { describe, expect, it } from "@effect/vitest"
import { Effect, Logger } from "effect"
import { printableLogger } from "../../../src/entrypoints/cli/PrintableLogger.js"

describe("printableLogger", () => {
  it.effect("a log line quoting a hostile server reaches the terminal's logger with its escapes escaped", () =>
    Effect.gen(function*() {
      const seen: Array<unknown> = []
      const capture = Logger.make(({ message }) => void seen.push(message))
      yield* Effect.logWarning("Spotify said \u001b]0;owned\u0007", 42).pipe(
        Effect.provide(Logger.replace(Logger.defaultLogger, printableLogger(capture)))
      )
      expect(seen).toEqual([["Spotify said \\u001b]0;owned\\u0007", 42]])
    }))
})
