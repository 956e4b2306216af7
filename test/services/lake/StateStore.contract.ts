import { describe, expect, type Vitest } from "@effect/vitest"
import { Duration, Effect, Exit, Layer, Option, Scope, TestClock, TestContext } from "effect"
import { EpochMs } from "../../../src/domain/Instant.js"
import { initialSyncState, type SyncState } from "../../../src/domain/SyncState.js"
import { ObjectStorage } from "../../../src/services/storage/ObjectStorage.js"
import { StateStore } from "../../../src/services/lake/StateStore.js"

const later: SyncState = { ...initialSyncState, cursor: EpochMs.make(1_767_600_000_137) }

/**
 * One suite for StateStore over every ObjectStorage layer, run by `it` (@effect/vitest's, or a
 * `layer(...)` block's for a shared server); `storage` is built for each test and must be empty.
 */
export const stateStoreContract = <R>(it: Vitest.MethodsNonLive<R>, name: string, storage: Layer.Layer<ObjectStorage, unknown, R>) =>
  describe(`StateStore contract: ${name}`, () => {
    // A layer block's tests share one TestClock; these move it, so each has its own.
    const run = <A, E>(effect: Effect.Effect<A, E, StateStore | ObjectStorage | Scope.Scope>) =>
      Effect.provide(Effect.scoped(effect), StateStore.layer.pipe(Layer.provideMerge(storage))).pipe(
        Effect.provide(TestContext.TestContext)
      )

    it.effect("reads nothing at first, then exactly what was written, with its version", () =>
      run(Effect.gen(function*() {
        const store = yield* StateStore
        expect(yield* store.read).toEqual(Option.none())
        const version = yield* store.write(later, Option.none())
        expect(yield* store.read).toEqual(Option.some({ state: later, version }))
      })))

    it.effect("compare-and-swap: a stale version or a second first write conflicts and changes nothing", () =>
      run(Effect.gen(function*() {
        const store = yield* StateStore
        const v1 = yield* store.write(initialSyncState, Option.none())
        const v2 = yield* store.write(later, Option.some(v1))
        const stale = yield* Effect.flip(store.write(initialSyncState, Option.some(v1)))
        const again = yield* Effect.flip(store.write(initialSyncState, Option.none()))
        expect([stale.reason, again.reason]).toEqual(["Conflict", "Conflict"])
        expect(yield* store.read).toEqual(Option.some({ state: later, version: v2 }))
      })))

    it.effect("a lease keeps other holders out until it is released", () =>
      run(Effect.gen(function*() {
        const store = yield* StateStore
        const scope = yield* Scope.make()
        yield* store.lease("first", Duration.minutes(6)).pipe(Scope.extend(scope))
        const busy = yield* Effect.flip(Effect.scoped(store.lease("second", Duration.minutes(6))))
        expect(busy._tag).toBe("LakeBusy")
        yield* Scope.close(scope, Exit.void)
        yield* Effect.scoped(store.lease("second", Duration.minutes(6)))
      })))

    it.effect("a holder that never releases (a killed run) keeps the lake only until its lease expires", () =>
      run(Effect.gen(function*() {
        const store = yield* StateStore
        yield* store.lease("killed", Duration.minutes(6)).pipe(Scope.extend(yield* Scope.make()))
        yield* TestClock.adjust(Duration.minutes(6).pipe(Duration.subtract(Duration.millis(1))))
        expect((yield* Effect.flip(Effect.scoped(store.lease("next", Duration.minutes(6)))))._tag).toBe("LakeBusy")
        yield* TestClock.adjust(Duration.millis(1))
        yield* Effect.scoped(store.lease("next", Duration.minutes(6)))
      })))

    it.effect("eight holders racing for a free lease: exactly one gets it", () =>
      run(Effect.gen(function*() {
        const store = yield* StateStore
        const scope = yield* Scope.make()
        const results = yield* Effect.all(
          Array.from({ length: 8 }, (_, i) => Effect.either(store.lease(`run-${i}`, Duration.minutes(6)).pipe(Scope.extend(scope)))),
          { concurrency: "unbounded" }
        )
        expect(results.filter((r) => r._tag === "Right")).toHaveLength(1)
        expect(results.filter((r) => r._tag === "Left").every((r) => r.left._tag === "LakeBusy")).toBe(true)
      })))

    it.effect("when watching began is recorded once: racing first runs all get the first one's instant, later ones too", () =>
      run(Effect.gen(function*() {
        const store = yield* StateStore
        const proposals = Array.from({ length: 6 }, (_, i) => EpochMs.make(1_767_600_000_000 + i * 1000))
        const answers = yield* Effect.all(proposals.map(store.startWatching), { concurrency: "unbounded" })
        expect(new Set(answers).size).toBe(1)
        expect(proposals).toContain(answers[0])
        expect(yield* store.startWatching(EpochMs.make(1_800_000_000_000))).toBe(answers[0])
      })))

    it.effect("an unreadable state file is an Invalid error naming it, not a fresh start", () =>
      run(Effect.gen(function*() {
        const storage = yield* ObjectStorage
        yield* storage.putIfAbsent("state/sync.json", "{\"format\":1,\"cursor_ms\":\"soon\"}")
        const error = yield* Effect.flip(Effect.flatMap(StateStore, (store) => store.read))
        expect(error.reason).toBe("Invalid")
        expect(error.message).toContain("state/sync.json")
      })))
  })
