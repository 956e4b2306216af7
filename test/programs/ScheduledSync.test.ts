import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Exit, Fiber, Layer, Logger, Option, Schema, TestClock } from "effect"
import * as Emulator from "../../src/emulator/Emulator.js"
import { runMetrics, scheduledSyncWithMetrics } from "../../src/entrypoints/lambda/RunMetrics.js"
import { budgetFor, type Invocation } from "../../src/programs/ScheduledSync.js"
import { jsonLinesLogger } from "../../src/entrypoints/lambda/JsonLinesLogger.js"
import { ObjectStorage } from "../../src/services/storage/ObjectStorage.js"
import { schedulerEvent } from "../support/LambdaBundle.js"
import { afterEmulatedPlays, liveSpotify } from "../support/SpotifyOverEmulator.js"
import { lakeOver } from "../support/TestLake.js"
import { driveUntilDone, untilSleeping } from "../support/TestClockDriver.js"
import * as MemoryStorage from "../../src/services/storage/MemoryStorage.js"

/*
 * The Lambda's program on a memory lake under the TestClock, with the live Spotify layers over
 * HTTP against the emulator (so a revoked token or a hanging request is Spotify's own answer).
 */

const event = schedulerEvent("2026-11-01T10:00:00Z", "3c0e8f2a-9b1d-4c6e-a7f5-2d4b6e8a0c1f")

const invocation = (requestId: string, remainingMs = 320_000): Invocation => ({
  event,
  requestId,
  remainingMs
})

const scheduledSync = (invocation: Invocation) => scheduledSyncWithMetrics(invocation, "spotify-pipeline-sync")

const parse = Schema.decodeUnknownSync(Schema.parseJson(Schema.Record({ key: Schema.String, value: Schema.Unknown })))
type Line = ReturnType<typeof parse>

/** The program with its logs captured as parsed JSON lines. */
const withWorld = <A, E, R>(body: (emulator: Emulator.Emulator, logs: Array<Line>) => Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    yield* TestClock.setTime(afterEmulatedPlays)
    const emulator = yield* Emulator.make({ seed: 5 })
    const logs: Array<Line> = []
    return yield* body(emulator, logs).pipe(
      Effect.provide(Layer.mergeAll(lakeOver(MemoryStorage.layer), liveSpotify(emulator))),
      Effect.provide(Logger.replace(Logger.defaultLogger, jsonLinesLogger((line) => logs.push(parse(line)))))
    )
  }).pipe(Effect.scoped)

const dataKeys = Effect.flatMap(ObjectStorage, (storage) =>
  Effect.map(Effect.all([storage.list("plays/"), storage.list("raw/"), storage.list("state/gaps/")]), (keys) => keys.flat()))

describe("budgetFor", () => {
  it("keeps 20 s of the function's remaining time back, and never exceeds the sync's 5-minute budget", () => {
    expect(Duration.toMillis(budgetFor(320_000))).toBe(300_000)
    expect(Duration.toMillis(budgetFor(900_000))).toBe(300_000)
    expect(Duration.toMillis(budgetFor(60_000))).toBe(40_000)
    expect(Duration.toMillis(budgetFor(5_000))).toBe(1_000)
  })
})

describe("scheduledSync", () => {
  it.effect("lands the plays and reports the run as metrics: new plays, no gap, synced just now", () =>
    withWorld((emulator, logs) =>
      Effect.gen(function*() {
        yield* emulator.listen(7)
        const { metrics, result } = yield* scheduledSync(invocation("request-1"))
        expect(Exit.isSuccess(result) && result.value).toMatchObject({ outcome: "synced", new: 7, gap: null })
        expect(metrics).toEqual({
          _aws: {
            Timestamp: afterEmulatedPlays,
            CloudWatchMetrics: [{
              Namespace: "SpotifyPipeline",
              Dimensions: [["Function"]],
              Metrics: [
                { Name: "SyncSucceeded", Unit: "Count" },
                { Name: "NewPlays", Unit: "Count" },
                { Name: "Gaps", Unit: "Count" },
                { Name: "MinutesSinceLastSync", Unit: "None" }
              ]
            }]
          },
          Function: "spotify-pipeline-sync",
          outcome: "synced",
          SyncSucceeded: 1,
          NewPlays: 7,
          Gaps: 0,
          MinutesSinceLastSync: 0
        })
        expect(logs[0]).toMatchObject({
          level: "INFO",
          message: "scheduled sync started (scheduled for 2026-11-01T10:00:00Z, attempt 1)",
          execution_id: "3c0e8f2a-9b1d-4c6e-a7f5-2d4b6e8a0c1f",
          budget: "5m"
        })
        expect(logs.at(-1)).toMatchObject({ level: "INFO", message: "7 new of 7 fetched", outcome: "synced", new: 7 })
      })))

  it.effect("the same event again (a duplicate or a retry) lands nothing and writes no data object", () =>
    withWorld((emulator) =>
      Effect.gen(function*() {
        yield* emulator.listen(12)
        yield* scheduledSync(invocation("request-1"))
        const before = yield* dataKeys
        const duplicate = yield* scheduledSync(invocation("request-2"))
        const retry = yield* scheduledSync(invocation("request-1"))
        for (const { metrics, result } of [duplicate, retry]) {
          expect(Exit.isSuccess(result) && result.value).toMatchObject({ new: 0, duplicates_skipped: 12, objects: [] })
          expect(metrics).toMatchObject({ NewPlays: 0, SyncSucceeded: 1 })
        }
        expect(yield* dataKeys).toEqual(before)
      })))

  it.effect("a gap is a metric the gap alarm reads", () =>
    withWorld((emulator) =>
      Effect.gen(function*() {
        yield* emulator.listen(5)
        yield* scheduledSync(invocation("request-1"))
        yield* emulator.listen(60)
        const { metrics } = yield* scheduledSync(invocation("request-2"))
        expect(metrics).toMatchObject({ Gaps: 1, NewPlays: 50, SyncSucceeded: 1 })
      })))

  it.effect("a failed run logs why at ERROR, counts as no success, and still says how long ago the last one was", () =>
    withWorld((emulator, logs) =>
      Effect.gen(function*() {
        yield* emulator.listen(3)
        yield* scheduledSync(invocation("request-1"))
        yield* TestClock.adjust(Duration.hours(3))
        yield* emulator.configure({ refreshTokenRevoked: true })
        const { metrics, result } = yield* scheduledSync(invocation("request-2"))
        expect(Exit.isFailure(result)).toBe(true)
        expect(metrics).toMatchObject({ outcome: "failed", SyncSucceeded: 0, MinutesSinceLastSync: 180 })
        expect(metrics).not.toHaveProperty("NewPlays")
        expect(metrics).not.toHaveProperty("Gaps")
        const failure = logs.find((line) => line.level === "ERROR")
        expect(failure).toMatchObject({ error: "SpotifyAuthRevoked", message: expect.stringMatching(/^sync failed: .*invalid_grant/) })
        expect(failure).not.toHaveProperty("cause")
      })))

  it.effect("a run that stepped aside for another (busy) is no success either", () =>
    withWorld((emulator) =>
      Effect.gen(function*() {
        yield* emulator.listen(3)
        const storage = yield* ObjectStorage
        yield* storage.putIfAbsent(
          "state/lease.json",
          JSON.stringify({
            holder: "another-run",
            acquired_at_ms: afterEmulatedPlays,
            expires_at_ms: afterEmulatedPlays + Duration.toMillis(Duration.minutes(6))
          })
        )
        const { metrics, result } = yield* scheduledSync(invocation("request-1"))
        expect(Exit.isSuccess(result) && result.value.outcome).toBe("busy")
        expect(metrics).toMatchObject({ outcome: "busy", SyncSucceeded: 0, NewPlays: 0, Gaps: 0 })
        expect(metrics).not.toHaveProperty("MinutesSinceLastSync")
      })))

  it.effect("ends the run when the function's time (less the margin) is up, even while Spotify hangs", () =>
    withWorld((emulator) =>
      Effect.gen(function*() {
        yield* emulator.listen(3)
        yield* emulator.fault({ endpoint: "recently-played", kind: "hang", times: 10 })
        const fiber = yield* Effect.fork(scheduledSync(invocation("request-1", 60_000)))
        yield* untilSleeping(fiber)
        yield* TestClock.adjust(Duration.millis(39_999))
        expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
        const { metrics, result } = yield* driveUntilDone(fiber)
        expect(yield* TestClock.currentTimeMillis).toBe(afterEmulatedPlays + 40_000)
        expect(Exit.isFailure(result) && Exit.causeOption(result)).toMatchObject(
          Option.some(expect.objectContaining({ _tag: "Fail", error: expect.objectContaining({ _tag: "SyncTimedOut" }) }))
        )
        expect(metrics).toMatchObject({ outcome: "failed", SyncSucceeded: 0 })
        expect(yield* dataKeys).toEqual([])
      })))

  it.effect("a direct invocation (not the schedule's event) runs the same sync", () =>
    withWorld((emulator, logs) =>
      Effect.gen(function*() {
        yield* emulator.listen(2)
        const { result } = yield* scheduledSync({ ...invocation("request-1"), event: {} })
        expect(Exit.isSuccess(result) && result.value.new).toBe(2)
        expect(logs[0]).toMatchObject({ message: "sync started by a direct invocation (not the schedule)" })
        expect(logs[0]).not.toHaveProperty("execution_id")
      })))
})

describe("runMetrics", () => {
  it("rounds minutes since the last sync to a tenth and never reports a negative age", () => {
    const at = (lastSyncedAtMs: number) =>
      runMetrics({ functionName: "f", summary: Option.none(), lastSyncedAtMs: Option.some(lastSyncedAtMs), nowMs: 600_000 })
    expect(at(0).MinutesSinceLastSync).toBe(10)
    expect(at(590_000).MinutesSinceLastSync).toBe(0.2)
    expect(at(700_000).MinutesSinceLastSync).toBe(0)
  })
})
