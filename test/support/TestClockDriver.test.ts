import { describe, expect, it } from "@effect/vitest"
import { Chunk, Deferred, Effect, Fiber, TestClock } from "effect"
import { untilSleeping, untilSleepingWithin } from "./TestClockDriver.js"
import { turnEventLoop, waitUntil } from "./Waiting.js"

describe("untilSleepingWithin", () => {
  it.scoped("moves the clock to the backoff once it sleeps, not to what an interrupted timeout left on the TestClock", () =>
    Effect.gen(function*() {
      // An earlier request's timeout that its answer beat: interrupted, its wake-up still listed at +13 s.
      const beaten = yield* Effect.fork(Effect.sleep("13 seconds"))
      yield* untilSleeping(beaten)
      yield* Fiber.interrupt(beaten)
      // The next request is out, with its own 20 s timeout; the backoff sleeps once its answer is in.
      const answered = yield* Deferred.make<void>()
      const attempt = Effect.race(Effect.sleep("20 seconds"), Deferred.await(answered))
      const backoff = yield* Effect.fork(Effect.zipRight(attempt, Effect.sleep("16 seconds")))
      yield* waitUntil("the request's timeout to sleep", Effect.map(TestClock.sleeps(), Chunk.some((at) => at === 20_000)))
      const waited = yield* Effect.fork(untilSleepingWithin(12_800, 19_200))
      for (let turn = 0; turn < 5; turn++) yield* turnEventLoop
      yield* Deferred.succeed(answered, undefined)
      expect(yield* Fiber.join(waited)).toBe(16_000)
      yield* Fiber.join(backoff)
    }))
})
