import { describe, expect, type Vitest } from "@effect/vitest"
import { Clock, Duration, Effect, Exit, Layer, Option, Scope, TestClock, TestContext } from "effect"
import { EpochMs } from "../../../src/domain/Instant.js"
import { longestLeaseMs } from "../../../src/domain/Lease.js"
import { initialSyncState, type SyncState } from "../../../src/domain/SyncState.js"
import { ObjectStorage } from "../../../src/services/storage/ObjectStorage.js"
import { StateStore } from "../../../src/services/lake/StateStore.js"
import { untilSleepingWithin } from "../../support/TestClockDriver.js"
import { waitUntil } from "../../support/Waiting.js"

const later: SyncState = { ...initialSyncState, cursor: EpochMs.make(1_767_600_000_137) }
const leaseKey = "state/lease.json"
const minuteMs = 60_000
const dayMs = 24 * 60 * minuteMs

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

    it.effect("a released lease frees the lake whatever the clock of the run that released it said", () =>
      run(Effect.gen(function*() {
        const store = yield* StateStore
        // A run on a machine whose clock is a day ahead takes the lake and lets it go.
        yield* TestClock.setTime(dayMs + 10 * minuteMs)
        yield* Effect.scoped(store.lease("ahead", Duration.minutes(6)))
        // The next run, its clock right, a day earlier by that machine's count.
        yield* TestClock.setTime(10 * minuteMs)
        yield* Effect.scoped(store.lease("next", Duration.minutes(6)))
      })))

    it.effect("a lease released by an earlier version (both instants set to the release) frees the lake", () =>
      run(Effect.gen(function*() {
        const store = yield* StateStore
        const storage = yield* ObjectStorage
        yield* storage.putIfAbsent(leaseKey, JSON.stringify({ holder: "old", acquired_at_ms: dayMs, expires_at_ms: dayMs }))
        yield* TestClock.setTime(minuteMs)
        yield* Effect.scoped(store.lease("next", Duration.minutes(6)))
      })))

    it.effect("a lease running longer than any run holds one (a killed run under a clock ahead) is taken over; the longest a run holds one is not", () =>
      run(Effect.gen(function*() {
        const store = yield* StateStore
        const storage = yield* ObjectStorage
        yield* TestClock.setTime(10 * minuteMs)
        // A real run with the longest budget there is: its lease keeps the lake to its last millisecond.
        yield* store.lease("longest", Duration.millis(longestLeaseMs)).pipe(Scope.extend(yield* Scope.make()))
        expect((yield* Effect.flip(Effect.scoped(store.lease("next", Duration.minutes(6)))))._tag).toBe("LakeBusy")
        // Then a run under a clock a year ahead takes the lake (its lease has lapsed there) and is killed.
        yield* TestClock.setTime(10 * minuteMs + 365 * dayMs)
        yield* store.lease("killed", Duration.minutes(6)).pipe(Scope.extend(yield* Scope.make()))
        yield* TestClock.setTime(11 * minuteMs + longestLeaseMs)
        yield* store.lease("next", Duration.minutes(6)).pipe(Scope.extend(yield* Scope.make()))
        const lease = yield* storage.get(leaseKey)
        expect(Option.map(lease, (object) => JSON.parse(object.body).holder)).toEqual(Option.some("next"))
        // Taken over, it keeps others out as any lease does.
        expect((yield* Effect.flip(Effect.scoped(store.lease("third", Duration.minutes(6)))))._tag).toBe("LakeBusy")
      })))

    it.effect("a damaged lease is taken over rather than stop every run, and the lease written in its place holds", () =>
      run(Effect.gen(function*() {
        const store = yield* StateStore
        const storage = yield* ObjectStorage
        yield* storage.putIfAbsent(leaseKey, "{\"holder\":\"x\",\"acq")
        yield* store.lease("next", Duration.minutes(6)).pipe(Scope.extend(yield* Scope.make()))
        expect((yield* Effect.flip(Effect.scoped(store.lease("second", Duration.minutes(6)))))._tag).toBe("LakeBusy")
      })))

    it.effect("a renewed lease keeps the lake past its ttl while its holder works, and is released with the version it last wrote", () =>
      run(Effect.gen(function*() {
        const store = yield* StateStore
        const storage = yield* ObjectStorage
        const scope = yield* Scope.make()
        yield* store.leaseRenewed("import", Duration.minutes(3)).pipe(Scope.extend(scope))
        // Renewed every minute: nine minutes on, three times its ttl, the lease still holds.
        for (let i = 0; i < 9; i++) yield* untilSleepingWithin(minuteMs, minuteMs)
        const now = yield* Clock.currentTimeMillis
        const expiry = storage.get(leaseKey).pipe(Effect.map((lease) => JSON.parse(Option.getOrThrow(lease).body).expires_at_ms))
        yield* waitUntil("the ninth renewal written", Effect.map(expiry, (at) => at === now + 3 * minuteMs))
        expect((yield* Effect.flip(Effect.scoped(store.lease("sync", Duration.minutes(6)))))._tag).toBe("LakeBusy")
        yield* Scope.close(scope, Exit.void)
        yield* Effect.scoped(store.lease("sync", Duration.minutes(6)))
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

    it.effect("an unreadable state file set aside is kept as it was and replaced in place (nothing deleted); the state goes on from there", () =>
      run(Effect.gen(function*() {
        const storage = yield* ObjectStorage
        const store = yield* StateStore
        const body = "{\"format\":2,\"cur"
        yield* storage.putIfAbsent("state/sync.json", body)
        const { kept, version } = yield* store.setAsideDamaged(1_767_600_000_000, initialSyncState)
        expect(kept).toBe("state/damaged/sync-1767600000000.json")
        yield* storage.putIfAbsent("state/damaged/gap-5-1767700000000.json", "{")
        expect(yield* store.keptDamaged).toEqual([kept, "state/damaged/gap-5-1767700000000.json"])
        expect(Option.map(yield* storage.get(kept), (object) => object.body)).toEqual(Option.some(body))
        expect(yield* store.read).toEqual(Option.some({ state: initialSyncState, version }))
        const next = { ...initialSyncState, cursor: EpochMs.make(1_767_600_000_000) }
        yield* store.write(next, Option.some(version))
        expect(Option.map(yield* store.read, (v) => v.state)).toEqual(Option.some(next))
      })))

    it.effect("a state in a newer format is not damaged: refused, named as such, and left where it is", () =>
      run(Effect.gen(function*() {
        const storage = yield* ObjectStorage
        const store = yield* StateStore
        const body = "{\"format\":3,\"cursor\":\"2027-01-01T00:00:00.000Z\",\"something_new\":[]}"
        yield* storage.putIfAbsent("state/sync.json", body)
        const error = yield* Effect.flip(store.setAsideDamaged(1_767_600_000_000, initialSyncState))
        expect(error.message).toBe(
          "state/sync.json was written by a newer spotify-pipeline (format 3; this one reads up to 2): upgrade this one, or run the newer one"
        )
        expect(Option.map(yield* storage.get("state/sync.json"), (object) => object.body)).toEqual(Option.some(body))
        expect(yield* storage.list("state/damaged/")).toEqual([])
      })))
  })
