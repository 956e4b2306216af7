import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { historyCoverage } from "../../../src/programs/HistoryCoverage.js"
import { syncStatus } from "../../../src/programs/SyncStatus.js"
import { statusPorts } from "../../../src/entrypoints/cli/StatusCommand.js"
import { Lake } from "../../../src/services/lake/Lake.js"
import { layerReadOnce } from "../../../src/services/storage/ReadOnce.js"
import * as MemoryStorage from "../../../src/services/storage/MemoryStorage.js"
import { ObjectStorage } from "../../../src/services/storage/ObjectStorage.js"
import * as MemoryTokenStore from "../../../src/services/tokens/MemoryTokenStore.js"
import { Gap } from "../../../src/domain/Gap.js"
import { encodeJson } from "../../../src/services/lake/LakeCodec.js"
import { gapKey } from "../../../src/services/lake/LakeLayout.js"
import { gap, play } from "../../support/HandLake.js"
import { watchedStorage } from "../../support/WatchedStorage.js"

describe("layerReadOnce", () => {
  it.effect("lists each prefix and reads each object once, and passes writes through", () =>
    Effect.gen(function*() {
      const storage = yield* ObjectStorage
      yield* storage.putIfAbsent("plays/a.jsonl", "a\n")
      const { layer, listed, read } = yield* watchedStorage
      yield* Effect.gen(function*() {
        const once = yield* ObjectStorage
        expect(yield* once.list("plays/")).toEqual(["plays/a.jsonl"])
        expect(yield* once.list("plays/")).toEqual(["plays/a.jsonl"])
        expect(yield* once.list("state/")).toEqual([])
        expect(Option.map(yield* once.get("plays/a.jsonl"), (o) => o.body)).toEqual(Option.some("a\n"))
        expect(Option.map(yield* once.get("plays/a.jsonl"), (o) => o.body)).toEqual(Option.some("a\n"))
        yield* once.putIfAbsent("state/b.json", "{}")
      }).pipe(Effect.provide(layerReadOnce.pipe(Layer.provide(layer))))
      expect(listed).toEqual(["plays/", "state/"])
      expect(read).toEqual(["plays/a.jsonl"])
      expect(yield* storage.list("state/")).toEqual(["state/b.json"])
    }).pipe(Effect.provide(MemoryStorage.layer)))

  it.effect("status's two questions over its ports list plays/ once and read each gap once", () =>
    Effect.gen(function*() {
      yield* Effect.flatMap(Lake, (lake) => lake.writePlays([play("2026-03-04T09:00:00Z", "A", "B")])).pipe(
        Effect.provide(Lake.layer)
      )
      const storage = yield* ObjectStorage
      for (const from of ["2026-03-01T00:00:00Z", "2026-03-02T00:00:00Z"]) {
        const ledger = gap(from, "2026-03-03T00:00:00Z")
        yield* storage.putIfAbsent(gapKey(ledger.from), encodeJson(Gap, ledger))
      }
      const { layer, listed, read } = yield* watchedStorage
      const [report, coverage] = yield* Effect.all([syncStatus, historyCoverage]).pipe(
        Effect.provide(statusPorts(Layer.merge(layer, MemoryTokenStore.layer)))
      )
      expect(report.started).toBe(true)
      expect(coverage.sources.map((source) => source.source)).toEqual(["live"])
      expect(listed.filter((prefix) => prefix === "plays/")).toHaveLength(1)
      // Both questions look at the latest gaps: each file is read once.
      const gapsRead = read.filter((key) => key.startsWith("state/gaps/"))
      expect(gapsRead).toHaveLength(2)
      expect(new Set(gapsRead).size).toBe(2)
      expect(report.gaps).toHaveLength(2)
      expect(coverage.open_gaps).toHaveLength(2)
    }).pipe(Effect.provide(MemoryStorage.layer)))
})
