import { EpochMs } from "../../src/domain/Instant.js"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Exit, type Layer, Ref, TestClock } from "effect"
import { Lake } from "../../src/services/lake/Lake.js"
import type { ObjectStorage } from "../../src/services/storage/ObjectStorage.js"
import * as MemoryStorage from "../../src/services/storage/MemoryStorage.js"
import { crashingStorage, type CrashPlan, type Faults, makeFaults } from "../support/FaultInjection.js"
import { filesOf, importWorld, listener, livePlays, runImport, scratch, snapshotButLease, writeZip } from "../support/ImportKit.js"
import { folderStorage } from "../support/TestLake.js"

const who = listener(21, 60)
const plays = livePlays(who)
const captured = [...plays.slice(0, 20), ...plays.slice(45)]
const lost = { from: plays[19]!.played_at_ms, to: plays[45]!.played_at_ms }

/**
 * A run after a crash runs later than a clean one (the dead run's lease must lapse first): when
 * an import ran (its record's start and finish, a closure's time) is not what it left.
 */
const withoutRunTimes = (body: string) => body.replace(/"(started_at|finished_at|closed_at)":"[^"]*"/g, "\"$1\":\"(when it ran)\"")

/** Live capture with a gap, then an import crashed at one write, then (past its lease) the same import again. */
const scenario = (faults: Faults, plan: CrashPlan | null, zip: string) =>
  Effect.gen(function*() {
    const lake = yield* Lake
    yield* lake.writePlays(captured)
    yield* lake.recordGap({ ...lost, detected_at: EpochMs.make(Date.UTC(2026, 0, 7)) })
    yield* Ref.set(faults.writes, [])
    yield* Ref.set(faults.plan, plan)
    const crashed = yield* Effect.exit(runImport([zip]))
    const writes = (yield* Ref.get(faults.writes)).length
    const fired = yield* Ref.get(faults.crashed)
    yield* Ref.set(faults.plan, null)
    yield* Ref.set(faults.crashed, false)
    // The dead run's lease lapses (two minutes, as no renewal comes) before the import is run again.
    yield* TestClock.adjust(Duration.minutes(3))
    const rerun = yield* runImport([zip])
    return { crashed, fired, writes, rerun, after: (yield* snapshotButLease).map(([key, body]) => [key, withoutRunTimes(body)] as const) }
  })

/** `every`: the folder lake (real fsyncs) crashes at every third write, to keep the suite quick. */
const crashPointSuite = <E>(name: string, storage: () => Layer.Layer<ObjectStorage, E>, every: number) =>
  describe(`import crash points (${name})`, () => {
    it.scoped("before and after every write of an import, running it again leaves exactly what one clean run leaves", () =>
      Effect.gen(function*() {
        const zip = yield* writeZip(yield* scratch, filesOf(who, { olderListens: 4 }))
        const run = (plan: CrashPlan | null) =>
          Effect.flatMap(makeFaults, (faults) =>
            scenario(faults, plan, zip).pipe(Effect.provide(importWorld(crashingStorage(faults, storage())))))
        const reference = yield* run(null)
        expect(reference.fired).toBe(false)
        expect(reference.after.some(([key]) => key.startsWith("links/"))).toBe(true)
        expect(reference.after.some(([key]) => key.startsWith("state/gap-closures/"))).toBe(true)
        // Per file: its record, its day objects, its links, its closures, the record again.
        expect(reference.writes).toBeGreaterThan(20)
        for (let at = 1; at <= reference.writes; at += every) {
          for (const when of ["before", "after"] as const) {
            const result = yield* run({ at, when })
            expect(result.fired, `crash ${when} write ${at}`).toBe(true)
            expect(Exit.isInterrupted(result.crashed), `crash ${when} write ${at}`).toBe(true)
            expect(result.after, `lake after crash ${when} write ${at}`).toEqual(reference.after)
            expect(result.rerun.files.map((file) => file.imported + file.duplicates)).toEqual(reference.rerun.files.map((file) => file.rows))
          }
        }
      }), 120_000)
  })

crashPointSuite("memory", () => MemoryStorage.layer, 1)

crashPointSuite("filesystem", () => folderStorage("import-crash-"), 3)
