import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Either, Exit, Layer, Option, Ref, Schema, Scope, TestClock } from "effect"
import { PlayFromJson, playKey } from "../../src/domain/Play.js"
import { SyncState } from "../../src/domain/SyncState.js"
import { ObjectStorage } from "../../src/services/storage/ObjectStorage.js"
import * as MemoryStorage from "../../src/services/storage/MemoryStorage.js"
import { SpotifyClientError } from "../../src/services/spotify/SpotifyClient.js"
import { StateStore } from "../../src/services/lake/StateStore.js"
import { StorageError } from "../../src/services/storage/ObjectStorage.js"
import { FakeSpotifyTag, type TimelinePlay, layerFakeSpotify } from "../support/FakeSpotify.js"
import { lakeGunzipped, lakeKeys, lakeObject, lakePlays, recordedGaps } from "../support/LakeInspect.js"
import { expectedKeys, keyOf, keysOf, listen, minute, plays, readState, sync, t0 } from "../support/SyncKit.js"
import { lakeOver, memoryWorld } from "../support/TestLake.js"


describe("IncrementalSync", () => {
  it.effect("lands every visible play as JSON Lines partitioned by UTC day, keeps the page verbatim, moves the cursor", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(t0 + 10 * 60 * minute)
      const timeline = plays(20, t0)
      yield* listen(timeline)
      const summary = yield* sync()

      expect(summary.outcome).toBe("synced")
      expect(summary.fetched).toBe(20)
      expect(summary.new).toBe(20)
      expect(summary.duplicates_skipped).toBe(0)
      expect(summary.gap).toBeNull()
      const newest = timeline[timeline.length - 1]!.playedAtMs
      expect(summary.cursor).toBe(new Date(newest).toISOString())
      expect(keysOf(yield* lakePlays)).toEqual(expectedKeys(timeline))

      const [dataKey, ...others] = yield* lakeKeys("plays/")
      expect(others).toEqual([])
      expect(dataKey).toBe(`plays/year=2026/month=01/day=05/${timeline[0]!.playedAtMs}-${newest}-${dataKey!.slice(-22, -6)}.jsonl`)
      const firstLine = (yield* lakeObject(dataKey!)).body.split("\n")[0]!
      const first = Schema.decodeUnknownSync(PlayFromJson)(firstLine)
      expect(first.played_at).toBe("2026-01-05T08:00:00.137Z")
      expect(first.source).toBe("api")

      const [rawKey] = yield* lakeKeys("raw/recently-played/")
      expect(rawKey).toBe(`raw/recently-played/year=2026/month=01/day=05/${newest}-${rawKey!.slice(-24, -8)}.json.gz`)
      const fake = yield* FakeSpotifyTag
      const raw = yield* lakeGunzipped(rawKey!)
      expect(JSON.parse(raw).items).toHaveLength(20)
      expect(raw).toContain(`"played_at":"2026-01-05T08:00:00.137Z"`)
      expect(yield* Ref.get(fake.calls)).toBe(1)

      const state = yield* readState
      expect(state.cursor).toBe(newest)
      expect(state.last_run?.new).toBe(20)
    }).pipe(Effect.provide(memoryWorld())))

  it.effect("a second run over the same plays writes nothing new and keeps the cursor", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(t0 + 10 * 60 * minute)
      yield* listen(plays(30, t0))
      const first = yield* sync()
      const objectsAfterFirst = yield* lakeKeys("")
      const again = yield* sync()

      expect(again.new).toBe(0)
      expect(again.duplicates_skipped).toBe(30)
      expect(again.cursor).toBe(first.cursor)
      expect(again.objects).toEqual([])
      const dataAfter = (yield* lakeKeys("")).filter((k) => !k.startsWith("state/"))
      expect(dataAfter).toEqual(objectsAfterFirst.filter((k) => !k.startsWith("state/")))
      expect((yield* lakePlays).length).toBe(30)
    }).pipe(Effect.provide(memoryWorld())))

  it.effect("only plays the lake lacks are written, each once, across many runs", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(t0)
      const all: Array<TimelinePlay> = []
      for (let round = 0; round < 6; round++) {
        const batch = plays(17, t0 + round * 17 * 3 * minute, round * 17)
        all.push(...batch)
        yield* listen(batch)
        const summary = yield* sync(`run-${round}`)
        expect(summary.new).toBe(17)
      }
      const lines = yield* lakePlays
      expect(keysOf(lines)).toEqual(expectedKeys(all))
      expect(new Set(lines.map(playKey)).size).toBe(lines.length)
    }).pipe(Effect.provide(memoryWorld())))

  it.effect("whole-second played_at keeps millisecond precision in the cursor and the lake", () =>
    Effect.gen(function*() {
      yield* listen([
        { playedAtMs: t0, track: 1, wholeSecond: true },
        { playedAtMs: t0 + 4 * minute + 250, track: 2 }
      ])
      const summary = yield* sync()
      expect(summary.cursor).toBe(new Date(t0 + 4 * minute + 250).toISOString())
      const lines = yield* lakePlays
      expect(lines.map((l) => l.played_at)).toEqual(["2026-01-05T08:00:00.000Z", "2026-01-05T08:04:00.250Z"])
    }).pipe(Effect.provide(memoryWorld())))

  it.effect("plays on both sides of midnight UTC go to their own day partitions", () =>
    Effect.gen(function*() {
      const midnight = Date.UTC(2026, 0, 6)
      yield* listen([{ playedAtMs: midnight - 1, track: 1 }, { playedAtMs: midnight, track: 2 }])
      yield* sync()
      const keys = yield* lakeKeys("plays/")
      expect(keys).toHaveLength(2)
      expect(keys[0]).toMatch(/^plays\/year=2026\/month=01\/day=05\//)
      expect(keys[1]).toMatch(/^plays\/year=2026\/month=01\/day=06\//)
    }).pipe(Effect.provide(memoryWorld())))

  it.effect("plays Spotify reports late land once, however far behind the cursor, while the page still shows them", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(t0 + 3 * 24 * 60 * minute)
      yield* listen(plays(10, t0 + 2 * 24 * 60 * minute))
      const first = yield* sync()
      const cursor = Date.parse(first.cursor!)
      const late = { playedAtMs: cursor - 2 * 60 * minute, track: 500 }
      const days = { playedAtMs: cursor - 40 * 60 * minute * 60, track: 501 }
      yield* listen([late, days])

      const second = yield* sync()
      expect(second.new).toBe(2)
      expect(second.cursor).toBe(first.cursor)
      const third = yield* sync()
      expect(third.new).toBe(0)
      const lines = keysOf(yield* lakePlays)
      expect(lines).toContain(playKey({ played_at_ms: late.playedAtMs, track_uri: "spotify:track:track500" }))
      expect(lines).toContain(playKey({ played_at_ms: days.playedAtMs, track_uri: "spotify:track:track501" }))
      expect(new Set(lines).size).toBe(12)
    }).pipe(Effect.provide(memoryWorld())))

  it.effect("more than 50 plays between syncs: the lost window goes to the gap ledger and the run says so", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(t0 + 600 * minute)
      yield* listen(plays(5, t0))
      const first = yield* sync()
      const burst = plays(53, t0 + 100 * minute, 100)
      yield* listen(burst)
      const second = yield* sync()

      const oldestVisible = burst[3]!.playedAtMs
      expect(second.gap).toEqual({ from: first.cursor, to: new Date(oldestVisible).toISOString() })
      expect(second.message).toContain("GAP")
      expect(second.new).toBe(50)
      const gaps = yield* recordedGaps
      expect(gaps.map((g) => [g.from, g.to])).toEqual([[Date.parse(first.cursor!), oldestVisible]])
      expect((yield* lakeKeys("raw/")).length).toBe(2)
    }).pipe(Effect.provide(memoryWorld())))

  it.effect("49 plays between syncs is no gap: the page still reaches back to the cursor", () =>
    Effect.gen(function*() {
      yield* listen(plays(5, t0))
      yield* sync()
      yield* listen(plays(49, t0 + 100 * minute, 100))
      const second = yield* sync()
      expect(second.gap).toBeNull()
      expect(second.new).toBe(49)
      expect(yield* recordedGaps).toEqual([])
    }).pipe(Effect.provide(memoryWorld())))

  it.effect("exactly 50 new plays: the page no longer reaches the cursor, so a possible gap is recorded", () =>
    Effect.gen(function*() {
      yield* listen(plays(5, t0))
      const first = yield* sync()
      const fifty = plays(50, t0 + 100 * minute, 100)
      yield* listen(fifty)
      const second = yield* sync()
      expect(second.new).toBe(50)
      expect(second.gap).toEqual({ from: first.cursor, to: new Date(fifty[0]!.playedAtMs).toISOString() })
    }).pipe(Effect.provide(memoryWorld())))

  it.effect("a first run that found no plays still marks when watching began: a burst after it is a gap", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(t0)
      const empty = yield* sync()
      expect(empty.fetched).toBe(0)
      const burst = plays(60, t0 + minute)
      yield* listen(burst)
      const second = yield* sync()
      expect(second.gap).toEqual({ from: new Date(t0).toISOString(), to: new Date(burst[10]!.playedAtMs).toISOString() })
    }).pipe(Effect.provide(memoryWorld())))

  it.effect("the first run ever records no gap, whatever the page holds", () =>
    Effect.gen(function*() {
      yield* listen(plays(80, t0))
      const summary = yield* sync()
      expect(summary.gap).toBeNull()
      expect(summary.new).toBe(50)
    }).pipe(Effect.provide(memoryWorld())))

  it.effect("a bad page fails the run with the client's typed error and changes nothing", () =>
    Effect.gen(function*() {
      yield* listen(plays(5, t0))
      yield* sync()
      const before = yield* lakeKeys("")
      const stateBefore = yield* readState
      yield* listen(plays(5, t0 + 100 * minute, 10))
      const fake = yield* FakeSpotifyTag
      const bad = new SpotifyClientError({ reason: "BadResponse", message: "Spotify's recently-played page could not be read" })
      yield* Ref.set(fake.failures, [bad])

      const result = yield* Effect.either(sync())
      expect(result).toEqual(Either.left(bad))
      expect(yield* lakeKeys("")).toEqual([...before, "state/last-failure.json"].sort())
      expect(yield* readState).toEqual(stateBefore)
      expect(JSON.parse((yield* lakeObject("state/last-failure.json")).body)).toMatchObject({
        error: "SpotifyClientError",
        message: bad.message
      })
      const next = yield* sync()
      expect(next.new).toBe(5)
    }).pipe(Effect.provide(memoryWorld())))

  it.effect("rate limited past the run's budget: the run ends cleanly, says so, and moves nothing", () =>
    Effect.gen(function*() {
      yield* listen(plays(5, t0))
      const fake = yield* FakeSpotifyTag
      yield* Ref.set(fake.failures, [
        new SpotifyClientError({ reason: "RateLimited", message: "wait 86400 s", retryAfterSeconds: 86_400 })
      ])
      const summary = yield* sync()
      expect(summary.outcome).toBe("rate_limited")
      expect(summary.message).toContain("rate limiting")
      expect(yield* lakeKeys("plays/")).toEqual([])
      expect(yield* Effect.flatMap(StateStore, (s) => s.read)).toEqual(Option.none())
    }).pipe(Effect.provide(memoryWorld())))
})

describe("IncrementalSync under crashes and overlapping runs", () => {
  const failingOn = (failWhen: Ref.Ref<(key: string) => boolean>) =>
    Layer.effect(
      ObjectStorage,
      Effect.gen(function*() {
        const inner = yield* ObjectStorage.pipe(Effect.provide(MemoryStorage.layer))
        // A failure comes after a while, as a store's does: time for the run's other fibers to go on.
        const guard = (key: string) =>
          Effect.flatMap(Ref.get(failWhen), (fails) =>
            fails(key)
              ? Effect.zipRight(
                Effect.repeatN(Effect.yieldNow(), 100),
                Effect.fail(new StorageError({ reason: "Unavailable", key, message: "injected failure" }))
              )
              : Effect.void)
        return {
          ...inner,
          putIfAbsent: (key, body) => Effect.zipRight(guard(key), inner.putIfAbsent(key, body)),
          putIfMatch: (key, body, etag) => Effect.zipRight(guard(key), inner.putIfMatch(key, body, etag))
        }
      })
    )

  it.effect("data before state: a run that dies writing state loses nothing, and the rerun duplicates nothing", () => {
    const failWhen = Ref.unsafeMake<(key: string) => boolean>(() => false)
    return Effect.gen(function*() {
      yield* listen(plays(5, t0))
      yield* sync()
      const more = plays(7, t0 + 100 * minute, 10)
      yield* listen(more)
      yield* Ref.set(failWhen, (key) => key === "state/sync.json")
      const crashed = yield* Effect.exit(sync())
      expect(Exit.isFailure(crashed)).toBe(true)
      expect((yield* lakePlays).length).toBe(12)
      expect((yield* readState).last_run?.new).toBe(5)

      yield* Ref.set(failWhen, () => false)
      const rerun = yield* sync()
      expect(rerun.new).toBe(0)
      expect(rerun.cursor).toBe(new Date(more[6]!.playedAtMs).toISOString())
      const lines = yield* lakePlays
      expect(lines.length).toBe(12)
      expect((yield* readState).cursor).toBe(more[6]!.playedAtMs)
    }).pipe(Effect.provide(Layer.merge(lakeOver(failingOn(failWhen)), layerFakeSpotify)))
  })

  it.effect("a raw page that cannot be written fails the run before its plays land: the rerun lands both", () => {
    const failWhen = Ref.unsafeMake<(key: string) => boolean>(() => false)
    return Effect.gen(function*() {
      const listened = plays(6, t0)
      yield* listen(listened)
      yield* Ref.set(failWhen, (key) => key.startsWith("raw/"))
      expect(Exit.isFailure(yield* Effect.exit(sync()))).toBe(true)
      expect(yield* lakePlays).toEqual([])

      yield* Ref.set(failWhen, () => false)
      expect((yield* sync()).new).toBe(6)
      // Every play that landed is on a page kept verbatim: had the plays landed without it, no
      // later run would write that page (it brings nothing new).
      const pages = yield* Effect.forEach(yield* lakeKeys("raw/"), lakeGunzipped)
      const onPages = new Set(pages.flatMap((page) =>
        (JSON.parse(page) as { items: ReadonlyArray<{ played_at: string; track: { uri: string } }> }).items.map((item) =>
          playKey({ played_at_ms: Date.parse(item.played_at), track_uri: item.track.uri })
        )
      ))
      expect((yield* lakePlays).map(playKey).filter((key) => !onPages.has(key))).toEqual([])
      expect(keysOf(yield* lakePlays)).toEqual(listened.map(keyOf).sort())
    }).pipe(Effect.provide(Layer.merge(lakeOver(failingOn(failWhen)), layerFakeSpotify)))
  })

  it.effect("two runs at the same moment: one syncs, the other steps aside; no line twice", () =>
    Effect.gen(function*() {
      yield* listen(plays(12, t0))
      const [a, b] = yield* Effect.all([sync("a"), sync("b")], { concurrency: "unbounded" })
      expect([a.outcome, b.outcome].sort()).toEqual(["busy", "synced"])
      const stepped = a.outcome === "busy" ? a : b
      expect(stepped.message).toContain("stepped aside")
      const lines = yield* lakePlays
      expect(lines.length).toBe(12)
      expect(new Set(lines.map(playKey)).size).toBe(12)
    }).pipe(Effect.provide(memoryWorld())))

  it.effect("a killed run's lease lapses: later runs step aside only until it expires", () =>
    Effect.gen(function*() {
      yield* listen(plays(3, t0))
      const store = yield* StateStore
      // A scope never closed: the holder died without releasing, as a killed process would.
      const neverClosed = yield* Scope.make()
      yield* store.lease("killed", Duration.minutes(6)).pipe(Scope.extend(neverClosed))
      yield* TestClock.adjust(Duration.minutes(5))
      expect((yield* sync("blocked")).outcome).toBe("busy")
      yield* TestClock.adjust(Duration.minutes(1))
      expect((yield* sync("after")).outcome).toBe("synced")
    }).pipe(Effect.provide(memoryWorld())))

  it.effect("state written by a run decodes as SyncState with the summary as last_run", () =>
    Effect.gen(function*() {
      yield* listen(plays(2, t0))
      const summary = yield* sync()
      const stored = yield* lakeObject("state/sync.json")
      const state = Schema.decodeUnknownSync(Schema.parseJson(SyncState))(stored.body)
      expect(state.last_run).toEqual(summary)
    }).pipe(Effect.provide(memoryWorld())))
})
