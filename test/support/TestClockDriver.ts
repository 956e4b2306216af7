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
 * Waits until the newest sleep on the TestClock ends between `minMs` and `maxMs` from now (a
 * jittered backoff), then moves the TestClock there; returns how long the sleep was.
 *
 * Only the newest: the TestClock keeps the wake-up of a sleep that was interrupted (a request's
 * timeout that its answer beat) until the clock passes it, and such a leftover can fall in the
 * window while the request is still out and its backoff not yet asleep. Moving the clock to it
 * would wake nothing and leave the backoff waiting for ever. While a request is out, the newest
 * sleep is its own timeout (20 s, past every window these tests wait for); once the answer is
 * in, the backoff is.
 */
export const untilSleepingWithin = (minMs: number, maxMs: number) =>
  Effect.gen(function*() {
    const now = yield* TestClock.currentTimeMillis
    const newest = Effect.map(TestClock.sleeps(), Chunk.head)
    const within = (at: number) => at >= now + minMs && at <= now + maxMs
    yield* waitUntil(
      `the newest sleep on the TestClock to end between ${minMs} and ${maxMs} ms from now`,
      Effect.map(newest, Option.exists(within)),
      Effect.map(TestClock.sleeps(), (sleeps) => `sleeps until +[${Chunk.toArray(sleeps).map((at) => at - now).join(", ")}] ms, newest first`)
    )
    const wake = Option.getOrElse(yield* newest, () => now)
    yield* TestClock.adjust(wake - now)
    return wake - now
  })
