import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, Schema } from "effect"
import { PlayFromJson } from "../../../src/domain/Play.js"
import { Lake } from "../../../src/services/lake/Lake.js"
import { playsKey } from "../../../src/services/lake/LakeLayout.js"
import * as MemoryStorage from "../../../src/services/storage/MemoryStorage.js"
import { ObjectStorage } from "../../../src/services/storage/ObjectStorage.js"
import { ms, play } from "../../support/HandLake.js"
import { manyPlaysObjects } from "../../support/ManyPlaysObjects.js"
import { watchedStorage } from "../../support/WatchedStorage.js"

/*
 * The newest play at or before an instant, which bounds a gap: a lake in use finds it in the
 * folder of this month or the last, listing only those; the whole of plays/ is listed only when
 * both are empty. On S3, listing a lake of years of syncs is hundreds of requests.
 */

const newestWith = (notAfter: string) =>
  Effect.gen(function*() {
    const { layer, listed } = yield* watchedStorage
    const newest = yield* Effect.flatMap(Lake, (lake) => lake.newestPlay(ms(notAfter))).pipe(Effect.provide(Lake.layer.pipe(Layer.provide(layer))))
    return { newest: Option.map(newest, (at) => new Date(at).toISOString()), listed }
  })

const lakeWith = (...endedAt: ReadonlyArray<string>) =>
  Effect.flatMap(Lake, (lake) => lake.writePlays(endedAt.map((at, i) => play(at, `Track ${i}`, "Artist"))))

const layer = Lake.layer.pipe(Layer.provideMerge(MemoryStorage.layer))

describe("Lake.newestPlay", () => {
  it.effect("finds the newest play in this month's folder, listing only it", () =>
    Effect.gen(function*() {
      yield* lakeWith("2024-05-01T10:00:00Z", "2025-12-30T10:00:00Z", "2026-03-02T08:00:00Z", "2026-03-04T09:00:00Z")
      const { listed, newest } = yield* newestWith("2026-03-20T00:00:00Z")
      expect(newest).toEqual(Option.some("2026-03-04T09:00:00.000Z"))
      expect(listed).toEqual(["plays/year=2026/month=03/"])
    }).pipe(Effect.provide(layer)))

  it.effect("looks in last month's folder next, across a year's end", () =>
    Effect.gen(function*() {
      yield* lakeWith("2024-05-01T10:00:00Z", "2025-12-30T10:00:00Z")
      const { listed, newest } = yield* newestWith("2026-01-03T00:00:00Z")
      expect(newest).toEqual(Option.some("2025-12-30T10:00:00.000Z"))
      expect(listed).toEqual(["plays/year=2026/month=01/", "plays/year=2025/month=12/"])
    }).pipe(Effect.provide(layer)))

  it.effect("lists every plays object once when the last two months have none", () =>
    Effect.gen(function*() {
      yield* lakeWith("2024-05-01T10:00:00Z", "2025-09-30T10:00:00Z", "2026-08-01T00:00:00Z")
      const { listed, newest } = yield* newestWith("2026-01-03T00:00:00Z")
      // The August play is after the instant asked about: it does not count.
      expect(newest).toEqual(Option.some("2025-09-30T10:00:00.000Z"))
      expect(listed).toEqual(["plays/year=2026/month=01/", "plays/year=2025/month=12/", "plays/"])
    }).pipe(Effect.provide(layer)))

  it.effect("finds it among more plays objects than a call takes as arguments (years of syncs, then a pause)", () =>
    Effect.gen(function*() {
      const storage = yield* ObjectStorage
      const objects = manyPlaysObjects(Date.UTC(2018, 0, 1))
      yield* storage.putManyIfAbsent(objects)
      const { newest } = yield* newestWith("2026-01-03T00:00:00Z")
      expect(newest).toEqual(Option.some(new Date(Date.UTC(2018, 0, 1) + (objects.length - 1) * 30 * 60_000).toISOString()))
    }).pipe(Effect.provide(layer)), 60_000)

  it.effect("an empty lake has none", () =>
    Effect.gen(function*() {
      const { newest } = yield* newestWith("2026-01-03T00:00:00Z")
      expect(newest).toEqual(Option.none())
    }).pipe(Effect.provide(layer)))

  it.effect("reads an object reaching past the instant line by line (a future-stamped play of an older version)", () =>
    Effect.gen(function*() {
      const storage = yield* ObjectStorage
      const before = play("2026-03-04T09:00:00Z", "Before", "Artist")
      const after = play("2026-03-04T23:00:00Z", "After", "Artist")
      const body = [before, after].map((p) => `${Schema.encodeSync(PlayFromJson)(p)}\n`).join("")
      yield* storage.putIfAbsent(playsKey(before.played_at_ms, after.played_at_ms, body), body)
      const { newest } = yield* newestWith("2026-03-04T12:00:00Z")
      expect(newest).toEqual(Option.some("2026-03-04T09:00:00.000Z"))
    }).pipe(Effect.provide(layer)))
})
