import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { ObjectStorage } from "../../src/services/storage/ObjectStorage.js"
import { layerFakeSpotify, type TimelinePlay } from "../support/FakeSpotify.js"
import { lakePlays } from "../support/LakeInspect.js"
import { expectedKeys, keysOf, listen, minute, plays, readState, sync, t0 } from "../support/SyncKit.js"
import { folderStorage, lakeOver } from "../support/TestLake.js"
import * as MemoryStorage from "../../src/services/storage/MemoryStorage.js"

const overlappingSuite = <E>(name: string, storage: () => Layer.Layer<ObjectStorage, E>) =>
  describe(`overlapping runs (${name})`, () => {
    for (const runs of [2, 4, 8]) {
      it.effect(`${runs} syncs started at once: one does the work, the rest step aside, no line twice, no cursor move lost`, () =>
        Effect.gen(function*() {
          const all: Array<TimelinePlay> = []
          for (let round = 0; round < 3; round++) {
            const batch = plays(15, t0 + round * 15 * 3 * minute, round * 15)
            all.push(...batch)
            yield* listen(batch)
            const summaries = yield* Effect.all(
              Array.from({ length: runs }, (_, i) => sync(`r${round}-${i}`)),
              { concurrency: "unbounded" }
            )
            expect(summaries.filter((s) => s.outcome === "synced")).toHaveLength(1)
            expect(summaries.filter((s) => s.outcome === "busy")).toHaveLength(runs - 1)
            for (const s of summaries.filter((s) => s.outcome === "busy")) expect(s.message).toContain("stepped aside")
          }
          const lines = yield* lakePlays
          expect(keysOf(lines)).toEqual(expectedKeys(all))
          expect((yield* readState).cursor).toBe(all[all.length - 1]!.playedAtMs)
        }).pipe(Effect.provide(Layer.merge(lakeOver(storage()), layerFakeSpotify))))
    }
  })

overlappingSuite("memory", () => MemoryStorage.layer)

overlappingSuite("filesystem", () => folderStorage("overlap-"))
