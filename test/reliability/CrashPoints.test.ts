import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Exit, Layer, Option, Ref, TestClock } from "effect"
import { playKey } from "../../src/domain/Play.js"
import { ObjectStorage } from "../../src/services/storage/ObjectStorage.js"
import { StateStore } from "../../src/services/lake/StateStore.js"
import { crashingStorage, type CrashPlan, type Faults, makeFaults } from "../support/FaultInjection.js"
import { layerFakeSpotify, type TimelinePlay } from "../support/FakeSpotify.js"
import { lakePlays, recordedGaps } from "../support/LakeInspect.js"
import { listen, sync } from "../support/SyncKit.js"
import { functionRoleStorage } from "../support/FunctionRoleStorage.js"
import { folderStorage, lakeOver } from "../support/TestLake.js"
import * as MemoryStorage from "../../src/services/storage/MemoryStorage.js"

const minute = 60_000
const t0 = Date.UTC(2026, 0, 5, 20, 0, 0)

const first: ReadonlyArray<TimelinePlay> = Array.from({ length: 20 }, (_, i) => ({
  playedAtMs: t0 + i * 3 * minute + 11,
  track: i,
  wholeSecond: i % 4 === 0
}))
// 70 plays across midnight UTC (two day objects, and more than 50: a gap), and one reported late.
const second: ReadonlyArray<TimelinePlay> = [
  ...Array.from({ length: 70 }, (_, i) => ({ playedAtMs: t0 + 2 * 60 * minute + i * 3 * minute + 7, track: 100 + i })),
  { playedAtMs: t0 + 50 * minute + 3, track: 999 }
]

interface Outcome {
  readonly plays: ReadonlyArray<string>
  readonly cursor: number | null
  readonly gaps: ReadonlyArray<readonly [number, number]>
}

const outcome = Effect.gen(function*() {
  const lines = yield* lakePlays
  const state = yield* Effect.flatMap(StateStore, (store) => store.read)
  const gaps = yield* recordedGaps
  return {
    plays: lines.map(playKey).sort(),
    cursor: Option.match(state, { onNone: () => null, onSome: (v) => v.state.cursor }),
    gaps: gaps.map((gap) => [gap.from, gap.to] as const)
  } satisfies Outcome
})

/** Sync, listen, sync with a crash planned, then (past any lease the dead run left) sync again. */
const scenario = (faults: Faults, plan: CrashPlan | null) =>
  Effect.gen(function*() {
    yield* TestClock.setTime(t0 + 70 * minute)
    yield* listen(first)
    yield* sync("first")
    yield* listen(second)
    yield* Ref.set(faults.writes, [])
    yield* Ref.set(faults.plan, plan)
    const crashed = yield* Effect.exit(sync("crashing"))
    const writes = (yield* Ref.get(faults.writes)).length
    const fired = yield* Ref.get(faults.crashed)
    yield* Ref.set(faults.plan, null)
    yield* Ref.set(faults.crashed, false)
    yield* TestClock.adjust(Duration.minutes(10))
    const rerun = yield* sync("rerun")
    return { crashed, fired, rerun, writes, after: yield* outcome }
  })

const crashPointSuite = <E>(name: string, storage: () => Layer.Layer<ObjectStorage, E>) =>
  describe(`crash points (${name})`, () => {
    // Through a store that allows only what the function's role may do: no crash makes a sync step outside it.
    const world = (faults: Faults) =>
      Layer.merge(lakeOver(functionRoleStorage.pipe(Layer.provide(crashingStorage(faults, storage())))), layerFakeSpotify)
    const run = <A, E2, R>(body: (faults: Faults) => Effect.Effect<A, E2, R>) =>
      Effect.flatMap(makeFaults, (faults) => body(faults).pipe(Effect.provide(world(faults))))

    it.effect("before and after every write of a sync, a rerun leaves exactly the plays, cursor and gaps of a run that never crashed", () =>
      Effect.gen(function*() {
        const reference = yield* run((faults) => scenario(faults, null))
        expect(reference.fired).toBe(false)
        expect(reference.after.gaps).toHaveLength(1)
        expect(new Set(reference.after.plays).size).toBe(reference.after.plays.length)
        // Lease, gap, raw page, two day objects, state, lease release.
        const writes = reference.writes
        expect(writes).toBeGreaterThanOrEqual(7)
        let crashes = 0
        for (let at = 1; at <= writes; at++) {
          for (const when of ["before", "after"] as const) {
            const result = yield* run((faults) => scenario(faults, { at, when }))
            expect(result.fired, `crash ${when} write ${at}`).toBe(true)
            expect(Exit.isInterrupted(result.crashed), `crash ${when} write ${at}`).toBe(true)
            expect(result.rerun.outcome, `rerun after crash ${when} write ${at}`).toBe("synced")
            expect(result.after, `lake after crash ${when} write ${at}`).toEqual(reference.after)
            crashes++
          }
        }
        expect(crashes).toBe(writes * 2)
      }))
  })

crashPointSuite("memory", () => MemoryStorage.layer)

crashPointSuite("filesystem", () => folderStorage("crash-"))
