import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { historyCoverage } from "../../../src/programs/HistoryCoverage.js"
import { syncStatus } from "../../../src/programs/SyncStatus.js"
import { statusPorts } from "../../../src/entrypoints/cli/StatusCommand.js"
import { Lake } from "../../../src/services/lake/Lake.js"
import { layerListedOnce } from "../../../src/services/storage/ListedOnce.js"
import * as MemoryStorage from "../../../src/services/storage/MemoryStorage.js"
import { ObjectStorage } from "../../../src/services/storage/ObjectStorage.js"
import * as MemoryTokenStore from "../../../src/services/tokens/MemoryTokenStore.js"
import { play } from "../../support/HandLake.js"
import { watchedStorage } from "../../support/WatchedStorage.js"

describe("layerListedOnce", () => {
  it.effect("lists each prefix once and passes everything else through", () =>
    Effect.gen(function*() {
      const storage = yield* ObjectStorage
      yield* storage.putIfAbsent("plays/a.jsonl", "a\n")
      const { layer, listed } = yield* watchedStorage
      yield* Effect.gen(function*() {
        const once = yield* ObjectStorage
        expect(yield* once.list("plays/")).toEqual(["plays/a.jsonl"])
        expect(yield* once.list("plays/")).toEqual(["plays/a.jsonl"])
        expect(yield* once.list("state/")).toEqual([])
        expect(Option.map(yield* once.get("plays/a.jsonl"), (o) => o.body)).toEqual(Option.some("a\n"))
      }).pipe(Effect.provide(layerListedOnce.pipe(Layer.provide(layer))))
      expect(listed).toEqual(["plays/", "state/"])
    }).pipe(Effect.provide(MemoryStorage.layer)))

  it.effect("status's two questions over its ports list plays/ once", () =>
    Effect.gen(function*() {
      yield* Effect.flatMap(Lake, (lake) => lake.writePlays([play("2026-03-04T09:00:00Z", "A", "B")])).pipe(
        Effect.provide(Lake.layer)
      )
      const { layer, listed } = yield* watchedStorage
      const [report, coverage] = yield* Effect.all([syncStatus, historyCoverage]).pipe(
        Effect.provide(statusPorts(Layer.merge(layer, MemoryTokenStore.layer)))
      )
      expect(report.started).toBe(true)
      expect(coverage.sources.map((source) => source.source)).toEqual(["live"])
      expect(listed.filter((prefix) => prefix === "plays/")).toHaveLength(1)
    }).pipe(Effect.provide(MemoryStorage.layer)))
})
