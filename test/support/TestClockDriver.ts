import { Chunk, Effect, Fiber, Option, TestClock } from "effect"

// Real I/O runs between the fiber's sleeps: let Node's event loop turn instead of moving the clock blindly.
const turnEventLoop = Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)))

/** Waits, without moving the TestClock, until some fiber sleeps on it; dies if `fiber` ends first. */
export const untilSleeping = <A, E>(fiber: Fiber.Fiber<A, E>) =>
  Effect.gen(function*() {
    while (Chunk.isEmpty(yield* TestClock.sleeps())) {
      if (Option.isSome(yield* Fiber.poll(fiber))) return yield* Effect.dieMessage("the fiber ended without sleeping")
      yield* turnEventLoop
    }
  })

/** Moves the TestClock to each pending wake-up in turn until `fiber` ends, then joins it. */
export const driveUntilDone = <A, E>(fiber: Fiber.Fiber<A, E>) =>
  Effect.gen(function*() {
    while (Option.isNone(yield* Fiber.poll(fiber))) {
      const sleeps = yield* TestClock.sleeps()
      if (Chunk.isEmpty(sleeps)) {
        yield* turnEventLoop
        continue
      }
      const now = yield* TestClock.currentTimeMillis
      yield* TestClock.adjust(Math.max(0, Math.min(...sleeps) - now))
    }
    return yield* Fiber.join(fiber)
  })
