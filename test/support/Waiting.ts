import { Effect } from "effect"
import { performance } from "node:perf_hooks"

/** Real time a wait may take: far above what any of them needs, far below vitest's 30 s timeout. */
const patienceMs = 10_000

// Real I/O runs between a fiber's sleeps: let Node's event loop turn instead of moving the clock blindly.
export const turnEventLoop = Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)))

/**
 * Turns the event loop until `done` holds, without moving the TestClock; after 10 s of real time
 * it dies naming what it waited for (and what it saw last), instead of hanging into the test's timeout.
 */
export const waitUntil = <E, R>(
  waitingFor: string,
  done: Effect.Effect<boolean, E, R>,
  seen: Effect.Effect<string, E, R> = Effect.succeed("")
): Effect.Effect<void, E, R> =>
  Effect.gen(function*() {
    const start = performance.now()
    while (!(yield* done)) {
      if (performance.now() - start > patienceMs) {
        const last = yield* seen
        return yield* Effect.dieMessage(`waited ${patienceMs / 1000} s for ${waitingFor}${last === "" ? "" : `; saw ${last}`}`)
      }
      yield* turnEventLoop
    }
  })
