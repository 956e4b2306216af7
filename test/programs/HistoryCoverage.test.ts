import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Exit, Layer, Ref, TestClock } from "effect"
import { EpochMs } from "../../src/domain/Instant.js"
import { describeCoverage } from "../../src/entrypoints/cli/ImportReport.js"
import { describeStatus } from "../../src/entrypoints/cli/RunReport.js"
import { statusPorts } from "../../src/entrypoints/cli/StatusCommand.js"
import { historyCoverage } from "../../src/programs/HistoryCoverage.js"
import { gapsShown, syncStatus } from "../../src/programs/SyncStatus.js"
import { ExportLake } from "../../src/services/exportlake/ExportLake.js"
import { Lake } from "../../src/services/lake/Lake.js"
import * as MemoryStorage from "../../src/services/storage/MemoryStorage.js"
import { ObjectStorage } from "../../src/services/storage/ObjectStorage.js"
import * as MemoryTokenStore from "../../src/services/tokens/MemoryTokenStore.js"
import { filesOf, importWorld, lines, listener, listenMore, runImport, scratch, writeZip } from "../support/ImportKit.js"
import { manyPlaysObjects } from "../support/ManyPlaysObjects.js"
import { watchedStorage } from "../support/WatchedStorage.js"
import { crashingStorage, makeFaults } from "../support/FaultInjection.js"

/*
 * What status says about gaps once exports close some: counted from the objects' names, so a
 * ledger of thousands of gaps is not read whole; only gaps with a closure and the latest open
 * ones are read.
 */

const hourMs = 3_600_000
const start = Date.UTC(2025, 0, 1)
const gapAt = (i: number, lengthMs = 600_000) => ({
  from: EpochMs.make(start + i * hourMs),
  to: EpochMs.make(start + i * hourMs + lengthMs),
  detected_at: EpochMs.make(start + i * hourMs + lengthMs + 60_000)
})

const coverageOver = (layer: Layer.Layer<ObjectStorage>) => historyCoverage.pipe(Effect.provide(ExportLake.layer.pipe(Layer.provide(layer))))

describe("history coverage", () => {
  it.effect("counts open and closed gaps from names, reading only the closed ones' and the latest open ones", () =>
    Effect.gen(function*() {
      const lake = yield* Lake
      const exportLake = yield* ExportLake
      const total = 200
      for (let i = 0; i < total; i++) yield* lake.recordGap(gapAt(i))
      const closure = (i: number, lengthMs = 600_000) => {
        const gap = gapAt(i, lengthMs)
        return { gap: { from: gap.from, to: gap.to }, file: "Streaming_History_Audio_2025.json", sha256: `${i}`.padStart(64, "a"), listens: 3, closed_at: "2026-01-01T00:00:00.000Z" }
      }
      // Closed: gap 3, and the newest gap, so the latest open ones are not simply the last keys.
      yield* exportLake.writeClosure(closure(3))
      yield* exportLake.writeClosure(closure(total - 1))
      // Gap 5 was closed, then a later sync widened it: the part after the closure is open again.
      yield* exportLake.writeClosure(closure(5))
      yield* lake.recordGap(gapAt(5, 1_200_000))
      // A closure for a span the ledger never held closes nothing.
      yield* exportLake.writeClosure(closure(7, 999))

      const { layer, read } = yield* watchedStorage
      const gapReads = () => read.filter((key) => key.startsWith("state/gaps/")).length
      const coverage = yield* coverageOver(layer)
      expect(coverage.closed_gaps).toBe(2)
      expect(coverage.open_gap_count).toBe(total - 2)
      expect(coverage.open_gaps).toHaveLength(gapsShown)
      expect(coverage.open_gaps[0]?.from).toBe(new Date(gapAt(total - 1 - gapsShown).from).toISOString())
      expect(coverage.open_gaps.at(-1)?.from).toBe(new Date(gapAt(total - 2).from).toISOString())
      // Gaps 3, 5, 7 and the newest had a closure to check; then the latest open ones.
      expect(gapReads()).toBe(4 + gapsShown)
    }).pipe(Effect.provide(Layer.mergeAll(Lake.layer, ExportLake.layer).pipe(Layer.provideMerge(MemoryStorage.layer)))))

  it.effect("status's lines for a ledger of thousands: counts, and the latest windows listed once", () =>
    Effect.gen(function*() {
      const lake = yield* Lake
      const storage = yield* ObjectStorage
      for (let i = 0; i < 1_200; i++) yield* lake.recordGap(gapAt(i))
      const [report, coverage] = yield* Effect.all([syncStatus, historyCoverage]).pipe(
        Effect.provide(statusPorts(Layer.merge(Layer.succeed(ObjectStorage, storage), MemoryTokenStore.layer)))
      )
      const lines = [...describeStatus(report, "./data"), ...describeCoverage(coverage)]
      expect(lines).toContain(`gaps:       1,200 window(s) where plays may be lost (the latest ${gapsShown} below; all in state/gaps/)`)
      expect(lines.filter((line) => / \.\. .*\(found /.test(line))).toHaveLength(gapsShown)
      expect(lines).toContain("open gaps:  1,200")
    }).pipe(Effect.provide(Lake.layer.pipe(Layer.provideMerge(MemoryStorage.layer)))))

  it.effect("a damaged gap object counts as open and is not listed", () =>
    Effect.gen(function*() {
      const lake = yield* Lake
      const storage = yield* ObjectStorage
      yield* lake.recordGap(gapAt(1))
      yield* storage.putIfAbsent(`state/gaps/${gapAt(2).from}.json`, "{not json")
      const coverage = yield* coverageOver(Layer.succeed(ObjectStorage, storage))
      expect(coverage.open_gap_count).toBe(2)
      expect(coverage.open_gaps.map((gap) => gap.from)).toEqual([new Date(gapAt(1).from).toISOString()])
    }).pipe(Effect.provide(Lake.layer.pipe(Layer.provideMerge(MemoryStorage.layer)))))

  it.effect("a damaged import record or closure is named, not fatal; the import's readers go on without it", () =>
    Effect.gen(function*() {
      const lake = yield* Lake
      const exportLake = yield* ExportLake
      const storage = yield* ObjectStorage
      yield* lake.recordGap(gapAt(1))
      yield* storage.putIfAbsent(`state/gaps/${gapAt(2).from}.json`, "{not json")
      const closure = { gap: { from: gapAt(1).from, to: gapAt(1).to }, file: "x.json", sha256: "a".repeat(64), listens: 3, closed_at: "2025-06-01T00:00:00.000Z" }
      yield* exportLake.writeClosure(closure)
      yield* storage.putIfAbsent("state/gap-closures/broken.json", "")
      yield* storage.putIfAbsent(`state/imports/${"b".repeat(64)}.json`, "")
      const closures = yield* exportLake.closures
      expect(closures.values).toEqual([closure])
      expect(closures.damaged).toEqual([{ key: "state/gap-closures/broken.json", problem: expect.stringMatching(/^state\/gap-closures\/broken\.json is not readable: /) }])
      expect((yield* exportLake.gaps).map((gap) => gap.from)).toEqual([gapAt(1).from])
      const coverage = yield* coverageOver(Layer.succeed(ObjectStorage, storage))
      expect(coverage.damaged.map((damaged) => damaged.key)).toEqual([`state/imports/${"b".repeat(64)}.json`])
      expect(coverage.sources).toEqual([])
      expect(coverage.closed_gaps).toBe(1)
    }).pipe(Effect.provide(Layer.mergeAll(Lake.layer, ExportLake.layer).pipe(Layer.provideMerge(MemoryStorage.layer)))))
  it.effect("live capture's span over more plays objects than a call takes as arguments (years of syncs)", () =>
    Effect.gen(function*() {
      const storage = yield* ObjectStorage
      const objects = manyPlaysObjects(Date.UTC(2018, 0, 1))
      yield* storage.putManyIfAbsent(objects)
      const coverage = yield* coverageOver(Layer.succeed(ObjectStorage, storage))
      expect(coverage.sources).toEqual([{
        source: "live",
        from: "2018-01-01T00:00:00.000Z",
        to: new Date(Date.UTC(2018, 0, 1) + (objects.length - 1) * 30 * 60_000).toISOString(),
        files: null,
        rows: null
      }])
    }).pipe(Effect.provide(MemoryStorage.layer)), 60_000)

  it.scoped("an import stopped part way is named as unfinished until the file is imported again", () =>
    Effect.gen(function*() {
      const zip = yield* writeZip(yield* scratch, filesOf(listener(3, 200)))
      const faults = yield* makeFaults
      const world = importWorld(crashingStorage(faults, MemoryStorage.layer))
      return yield* Effect.gen(function*() {
        // Killed after its lease, the first file's record and one of its day objects.
        yield* Ref.set(faults.plan, { at: 3, when: "after" as const })
        expect(Exit.isInterrupted(yield* Effect.exit(runImport([zip])))).toBe(true)
        expect(yield* Ref.get(faults.crashed)).toBe(true)
        yield* Ref.set(faults.plan, null)
        yield* Ref.set(faults.crashed, false)
        const stopped = yield* historyCoverage
        expect(stopped.unfinished).toEqual([{ name: expect.stringMatching(/^Streaming_History_Audio_/), started_at: expect.any(String) }])
        const said = describeCoverage(stopped).filter((line) => line.startsWith("UNFINISHED IMPORT: "))
        expect(said).toHaveLength(1)
        // Its rows in the lake are in no record's count yet: another file's count beside it is a floor.
        const beside = { source: "extended" as const, from: "2025-01-01T00:00:00.000Z", to: "2025-12-31T00:00:00.000Z", files: 1, rows: 1_200 }
        expect(describeCoverage({ ...stopped, sources: [beside] })).toContain("            extended 2025-01-01 .. 2025-12-31 (1 files, at least 1,200 rows)")
        expect(said[0]).toContain("Import that file again to finish it.")

        yield* TestClock.adjust(Duration.minutes(3))
        yield* runImport([zip])
        const finished = yield* historyCoverage
        expect(finished.unfinished).toEqual([])
        expect(describeCoverage(finished).filter((line) => line.startsWith("UNFINISHED"))).toEqual([])
      }).pipe(Effect.provide(world))
    }), 60_000)

  it.scoped("an export and a newer one that overlaps it: the rows the lake holds per source, read from the import records alone", () =>
    Effect.gen(function*() {
      const dir = yield* scratch
      const before = listener(1, 500)
      const older = yield* writeZip(dir, filesOf(before), "older.zip")
      const newer = yield* writeZip(dir, filesOf(listenMore(before, 300)), "newer.zip")
      const first = yield* runImport([older])
      const second = yield* runImport([newer])
      // The newer export holds again what the older one landed: every file's rows added up are more than the lake holds.
      expect(second.duplicates).toBeGreaterThan(first.imported / 2)

      const { layer, read } = yield* watchedStorage
      const coverage = yield* coverageOver(layer)
      const rowsOf = (source: string) => coverage.sources.find((covered) => covered.source === source)?.rows
      for (const source of ["extended", "account"] as const) {
        const held = (yield* lines(`exports/source=${source}/`)).length
        expect(held, source).toBeGreaterThan(0)
        expect(rowsOf(source), source).toBe(held)
      }
      expect(coverage.sources.map((covered) => [covered.source, covered.files])).toEqual([["extended", 4], ["account", 4]])
      // Status stays fast: the counts come from the import records, not from reading the export objects.
      expect(read.filter((key) => key.startsWith("exports/"))).toEqual([])
    }).pipe(Effect.provide(importWorld(MemoryStorage.layer))), 60_000)

  it.scoped("imports of overlapping exports stopped part way, then finished: every row the lake holds counted once", () =>
    Effect.gen(function*() {
      const dir = yield* scratch
      const before = listener(4, 400)
      const older = yield* writeZip(dir, filesOf(before), "older.zip")
      const newer = yield* writeZip(dir, filesOf(listenMore(before, 200)), "newer.zip")
      // The rows' identities: which import lands a listen decides the object it is in and its source_file.
      const exportsOf = Effect.map(lines("exports/"), (rows) => rows.map((row) => (row as { readonly row_id: string }).row_id).sort())
      const clean = yield* Effect.gen(function*() {
        yield* runImport([older])
        yield* runImport([newer])
        return yield* exportsOf
      }).pipe(Effect.provide(importWorld(MemoryStorage.layer)))

      // Killed at the k-th write (the lease, the first file's record, then its day objects), the
      // other export imported or killed too, then each imported again: the same listens, planned by
      // two files, land once and count once, whichever file lands them.
      const runs = [
        { first: older, second: newer, killFirst: 4, killSecond: null },
        { first: older, second: newer, killFirst: 12, killSecond: 5 },
        { first: newer, second: older, killFirst: 6, killSecond: 4 },
        { first: newer, second: older, killFirst: 3, killSecond: null }
      ]
      for (const { first, second, killFirst, killSecond } of runs) {
        const faults = yield* makeFaults
        const killedAt = (at: number | null, path: string) =>
          Effect.gen(function*() {
            yield* Ref.set(faults.plan, at === null ? null : { at: (yield* Ref.get(faults.writes)).length + at, when: "after" as const })
            const exit = yield* Effect.exit(runImport([path]))
            if (at !== null) expect(Exit.isInterrupted(exit), `${path} killed at ${at}`).toBe(true)
            yield* Ref.set(faults.plan, null)
            yield* Ref.set(faults.crashed, false)
            yield* TestClock.adjust(Duration.minutes(3))
          })
        yield* Effect.gen(function*() {
          yield* killedAt(killFirst, first)
          yield* killedAt(killSecond, second)
          const finishing = yield* runImport([first])
          const last = yield* runImport([second])
          const label = `${first === older ? "older" : "newer"} killed at ${killFirst}, then the other at ${killSecond}`
          expect(yield* exportsOf, label).toEqual(clean)

          const held = clean.length
          const records = (yield* Effect.flatMap(ExportLake, (lake) => lake.importRecords)).values
          expect(records.every((record) => record.status === "imported" && record.landing === undefined), label).toBe(true)
          expect(records.reduce((n, record) => n + record.tally.imported, 0), label).toBe(held)
          const coverage = yield* historyCoverage
          expect(coverage.sources.reduce((n, covered) => n + (covered.rows ?? 0), 0), label).toBe(held)
          // What the runs said they landed: the files they finished, and the ones they took in whole.
          const said = [...finishing.files, ...last.files].filter((file) => !file.seen)
          expect(said.length, label).toBeGreaterThan(0)
        }).pipe(Effect.provide(importWorld(crashingStorage(faults, MemoryStorage.layer))))
      }
    }), 120_000)
})
