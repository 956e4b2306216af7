import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, Ref, TestClock } from "effect"
import { playKey } from "../../src/domain/Play.js"
import { defaultSyncOptions, incrementalSync } from "../../src/programs/IncrementalSync.js"
import { ObjectStorage } from "../../src/services/storage/ObjectStorage.js"
import { StateStore } from "../../src/services/lake/StateStore.js"
import { FakeSpotifyTag, layerFakeSpotify, type TimelinePlay } from "../support/FakeSpotify.js"
import { lakePlays } from "../support/LakeInspect.js"
import { folderStorage, lakeOver } from "../support/TestLake.js"
import * as MemoryStorage from "../../src/services/storage/MemoryStorage.js"

const t0 = Date.UTC(2026, 4, 1, 12)
const plays = (count: number, from: number, firstTrack: number): Array<TimelinePlay> =>
  Array.from({ length: count }, (_, i) => ({ playedAtMs: from + i * 200_000 + 5, track: firstTrack + i }))

const listen = (more: ReadonlyArray<TimelinePlay>) =>
  Effect.flatMap(FakeSpotifyTag, (fake) => Ref.update(fake.timeline, (all) => [...all, ...more]))

const overlappingSuite = <E>(name: string, storage: () => Layer.Layer<ObjectStorage, E>) =>
  describe(`overlapping runs (${name})`, () => {
    for (const runs of [2, 4, 8]) {
      it.effect(`${runs} syncs started at once: one does the work, the rest step aside, no line twice, no cursor move lost`, () =>
        Effect.gen(function*() {
          yield* TestClock.setTime(t0 + 24 * 3_600_000)
          const all: Array<TimelinePlay> = []
          for (let round = 0; round < 3; round++) {
            const batch = plays(15, t0 + round * 15 * 200_000, round * 15)
            all.push(...batch)
            yield* listen(batch)
            const summaries = yield* Effect.all(
              Array.from({ length: runs }, (_, i) => incrementalSync({ ...defaultSyncOptions, runId: `r${round}-${i}` })),
              { concurrency: "unbounded" }
            )
            expect(summaries.filter((s) => s.outcome === "synced")).toHaveLength(1)
            expect(summaries.filter((s) => s.outcome === "busy")).toHaveLength(runs - 1)
            for (const s of summaries.filter((s) => s.outcome === "busy")) expect(s.message).toContain("stepped aside")
          }
          const lines = yield* lakePlays
          expect(lines.map(playKey).sort()).toEqual(
            all.map((p) => playKey({ played_at_ms: p.playedAtMs, track_uri: `spotify:track:track${p.track}` })).sort()
          )
          const state = Option.getOrThrow(yield* Effect.flatMap(StateStore, (store) => store.read)).state
          expect(state.cursor).toBe(all[all.length - 1]!.playedAtMs)
        }).pipe(Effect.provide(Layer.merge(lakeOver(storage()), layerFakeSpotify))))
    }
  })

overlappingSuite("memory", () => MemoryStorage.layer)

overlappingSuite("filesystem", () => folderStorage("overlap-"))
