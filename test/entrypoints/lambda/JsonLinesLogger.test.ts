import { describe, expect, it } from "@effect/vitest"
import { Cause, Data, Effect, Logger, Redacted, Schema, TestClock } from "effect"
import { jsonLinesLogger } from "../../../src/entrypoints/lambda/JsonLinesLogger.js"

const parse = Schema.decodeUnknownSync(Schema.parseJson(Schema.Record({ key: Schema.String, value: Schema.Unknown })))

class Boom extends Data.TaggedError("Boom")<{ readonly message: string }> {}

const captured = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.gen(function*() {
    const lines: Array<string> = []
    yield* effect.pipe(Effect.provide(Logger.replace(Logger.defaultLogger, jsonLinesLogger((line) => lines.push(line)))))
    return lines
  })

describe("jsonLinesLogger", () => {
  it.effect("writes one JSON object per log: timestamp from the clock, Lambda's level names, message, annotations", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.UTC(2026, 10, 1, 10, 0, 0, 250))
      const lines = yield* captured(Effect.gen(function*() {
        yield* Effect.logInfo("started").pipe(Effect.annotateLogs({ requestId: "r1", count: 3 }))
        yield* Effect.logWarning("careful")
        yield* Effect.logError("failed")
        yield* Effect.logDebug("hidden at the default minimum level")
      }))
      expect(lines.map((line) => parse(line))).toEqual([
        { requestId: "r1", count: 3, timestamp: "2026-11-01T10:00:00.250Z", level: "INFO", message: "started" },
        { timestamp: "2026-11-01T10:00:00.250Z", level: "WARN", message: "careful" },
        { timestamp: "2026-11-01T10:00:00.250Z", level: "ERROR", message: "failed" }
      ])
      expect(lines.every((line) => !line.includes("\n"))).toBe(true)
    }))

  it.effect("never lets an annotation override the fixed fields, and prints secrets as <redacted>", () =>
    Effect.gen(function*() {
      const [line] = yield* captured(
        Effect.logInfo("hello", "world").pipe(
          Effect.annotateLogs({ level: "TRACE", message: "spoofed", token: Redacted.make("AQD-secret"), big: 12n })
        )
      )
      expect(parse(line)).toMatchObject({ level: "INFO", message: "hello world", token: "<redacted>", big: "12" })
      expect(line).not.toContain("AQD-secret")
    }))

  it.effect("adds open spans with their elapsed milliseconds, and the cause when there is one", () =>
    Effect.gen(function*() {
      const lines = yield* captured(
        Effect.gen(function*() {
          yield* TestClock.adjust(1500)
          yield* Effect.logError("broke", Cause.fail(new Boom({ message: "the reason" })))
        }).pipe(Effect.withLogSpan("sync"))
      )
      const record = parse(lines[0])
      expect(record).toMatchObject({ level: "ERROR", message: "broke", spans: { sync: 1500 } })
      expect(String(record.cause)).toContain("the reason")
    }))
})
