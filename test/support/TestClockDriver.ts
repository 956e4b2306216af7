import { Chunk, Effect, Fiber, Option, TestClock } from "effect"
import { turnEventLoop, waitUntil } from "./Waiting.js"

/** Waits, without moving the TestClock, until some fiber sleeps on it; dies if `fiber` ends first. */
export const untilSleeping = <A, E>(fiber: Fiber.Fiber<A, E>) =>
  waitUntil(
    "a fiber to sleep on the TestClock",
    Effect.gen(function*() {
      if (Option.isSome(yield* Fiber.poll(fiber))) return yield* Effect.dieMessage("the fiber ended without sleeping")
      return !Chunk.isEmpty(yield* TestClock.sleeps())
    })
  )

/** Moves the TestClock to each pending wake-up in turn until `fiber` ends, then joins it. */
export const driveUntilDone = <A, E>(fiber: Fiber.Fiber<A, E>) =>
  Effect.gen(function*() {
    yield* waitUntil(
      "the fiber to finish while the TestClock moves to each wake-up",
      Effect.gen(function*() {
        if (Option.isSome(yield* Fiber.poll(fiber))) return true
        const sleeps = yield* TestClock.sleeps()
        if (Chunk.isEmpty(sleeps)) return false
        const now = yield* TestClock.currentTimeMillis
        yield* TestClock.adjust(Math.max(0, Math.min(...sleeps) - now))
        yield* turnEventLoop
        return Option.isSome(yield* Fiber.poll(fiber))
      }),
      Effect.gen(function*() {
        const now = yield* TestClock.currentTimeMillis
        const sleeps = Chunk.toArray(yield* TestClock.sleeps()).map((at) => at - now)
        return sleeps.length === 0 ? "no fiber sleeping on the TestClock" : `sleeps until +[${sleeps.join(", ")}] ms`
      })
    )
    return yield* Fiber.join(fiber)
  })

/**
 * Waits until some fiber sleeps until a moment between `minMs` and `maxMs` from now (a jittered
 * backoff), then moves the TestClock there; returns how long the sleep was.
 */
export const untilSleepingWithin = (minMs: number, maxMs: number) =>
  Effect.gen(function*() {
    const now = yield* TestClock.currentTimeMillis
    const within = (at: number) => at >= now + minMs && at <= now + maxMs
    yield* waitUntil(
      `a fiber to sleep between ${minMs} and ${maxMs} ms on the TestClock`,
      Effect.map(TestClock.sleeps(), Chunk.some(within)),
      Effect.map(TestClock.sleeps(), (sleeps) => `sleeps until +[${Chunk.toArray(sleeps).map((at) => at - now).join(", ")}] ms`)
    )
    const wake = Chunk.toArray(yield* TestClock.sleeps()).find(within) ?? now
    yield* TestClock.adjust(wake - now)
    return wake - now
  })
