import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, Ref, TestClock } from "effect"
import { playKey } from "../../src/domain/Play.js"
import { syncStatus } from "../../src/programs/SyncStatus.js"
import { describeStatus } from "../../src/entrypoints/cli/RunReport.js"
import { ObjectStorage } from "../../src/services/storage/ObjectStorage.js"
import * as MemoryTokenStore from "../../src/services/tokens/MemoryTokenStore.js"
import { capturingLogs } from "../support/CapturedLogs.js"
import { crashingStorage, makeFaults } from "../support/FaultInjection.js"
import { FakeSpotifyTag, layerFakeSpotify, pageBody, type TimelinePlay } from "../support/FakeSpotify.js"
import { lakeKeys, lakeObject, lakePlays, recordedGaps } from "../support/LakeInspect.js"
import { keyOf, keysOf, listen, minute, plays, sync, t0 } from "../support/SyncKit.js"
import { functionRoleStorage } from "../support/FunctionRoleStorage.js"
import { lakeOver, memoryWorld } from "../support/TestLake.js"
import * as MemoryStorage from "../../src/services/storage/MemoryStorage.js"


/*
 * Each attack below silenced the gap ledger, lost plays or stopped syncing before the fix:
 * a hostile or careless Spotify, a wrong clock, a lost state file, a stray file in the lake.
 */

/** Every play of `timeline` is in the lake, or inside a recorded gap. */
const accountedFor = (timeline: ReadonlyArray<TimelinePlay>) =>
  Effect.gen(function*() {
    const landed = new Set((yield* lakePlays).map(playKey))
    const gaps = yield* recordedGaps
    return timeline.filter((p) => !landed.has(keyOf(p)) && !gaps.some((g) => g.from < p.playedAtMs && p.playedAtMs < g.to))
  })

const scripted = (body: string) => Effect.flatMap(FakeSpotifyTag, (fake) => Ref.update(fake.bodies, (all) => [...all, body]))

describe("attacks on the gap ledger", () => {
  it.effect("a play stamped a day ahead and one in 2099 are kept aside, never landed, and the next burst is still a gap", () =>
    Effect.gen(function*() {
      const first = plays(10, t0)
      yield* listen(first)
      yield* sync("first")
      const now = yield* TestClock.currentTimeMillis
      const future = [{ playedAtMs: now + 24 * 60 * minute, track: 900 }, { playedAtMs: Date.UTC(2099, 0, 1), track: 901 }]
      const fake = yield* FakeSpotifyTag
      yield* Ref.update(fake.timeline, (all) => [...all, ...future])
      const clocked = yield* sync("clock")
      expect(clocked).toMatchObject({ outcome: "synced", new: 0, future_dated: 2, gap: null })
      expect(yield* lakeKeys("state/aside/")).toHaveLength(2)
      expect(yield* lakeKeys("plays/year=2099/")).toEqual([])
      expect(clocked.cursor).toBe(new Date(first[9]!.playedAtMs).toISOString())

      const burst = plays(120, now + 10 * minute, 200)
      yield* listen(burst)
      const after = yield* sync("burst")
      expect(after.gap).toEqual({ from: new Date(first[9]!.playedAtMs).toISOString(), to: expect.any(String) })
      expect(yield* accountedFor([...first, ...burst])).toEqual([])
      expect((yield* syncStatus.pipe(Effect.provide(MemoryTokenStore.layer))).aside).toBe(2)

      // A day on, the first of them is no longer in the future: it lands, and status stops counting it.
      yield* TestClock.adjust(25 * 60 * minute)
      expect(yield* sync("a day on")).toMatchObject({ new: 1, future_dated: 1 })
      expect(yield* lakeKeys("state/aside/")).toHaveLength(2)
      expect((yield* syncStatus.pipe(Effect.provide(MemoryTokenStore.layer))).aside).toBe(1)
      // One that no longer reads cannot be known to have landed: it counts as pending.
      yield* Effect.flatMap(ObjectStorage, (storage) => storage.putIfAbsent("state/aside/1-damaged.json", "{\"play\":"))
      expect((yield* syncStatus.pipe(Effect.provide(MemoryTokenStore.layer))).aside).toBe(2)
    }).pipe(Effect.provide(memoryWorld())))

  it.effect("a schedule that stopped: status says so past three hours without a sync, and not before", () =>
    Effect.gen(function*() {
      yield* listen(plays(5, t0))
      yield* TestClock.setTime(t0 + 10 * minute)
      const synced = yield* sync("last one")
      const status = syncStatus.pipe(Effect.provide(MemoryTokenStore.layer))
      const lines = Effect.map(status, (report) => describeStatus(report, "./data").filter((line) => line.startsWith("STALE")))
      yield* TestClock.setTime(Date.parse(synced.finished_at) + 3 * 60 * minute)
      expect((yield* status).stale_hours).toBeNull()
      expect(yield* lines).toEqual([])
      yield* TestClock.adjust(1)
      expect((yield* status).stale_hours).toBe(3)
      yield* TestClock.adjust(3 * 24 * 60 * minute)
      expect(yield* lines).toEqual([
        `STALE:      no sync has succeeded for 3 days (since ${synced.finished_at}): Spotify shows only the last 50 plays, so ` +
        "plays may be slipping away; is the schedule (cron, the Lambda) still running? The next sync records any window it can no longer see."
      ])
      // A clock behind the last run's is not a stale schedule.
      yield* TestClock.setTime(Date.parse(synced.finished_at) - 60 * minute)
      expect((yield* status).stale_hours).toBeNull()
      // The next sync clears it.
      yield* TestClock.setTime(Date.parse(synced.finished_at) + 5 * 60 * minute)
      yield* sync("again")
      expect((yield* status).stale_hours).toBeNull()
    }).pipe(Effect.provide(memoryWorld())))

  it.effect("a plays object damaged whole (its one play): the play landing again makes the same object, which is restored", () =>
    Effect.gen(function*() {
      // A day before, so that the lake still has a readable newest play to meet the next page.
      yield* listen(plays(1, t0 - 26 * 60 * minute, 10))
      yield* listen(plays(1, t0))
      yield* sync("first")
      const storage = yield* ObjectStorage
      const [, key = ""] = yield* lakeKeys("plays/")
      const body = (yield* lakeObject(key)).body
      yield* storage.remove(key)
      yield* storage.putIfAbsent(key, body.slice(0, 40))

      // The next page shows it again with a later play (another day, so its own object).
      yield* listen(plays(1, t0 + 26 * 60 * minute, 50))
      const { logs, result } = yield* capturingLogs(sync("after the damage"))
      expect(result).toMatchObject({ outcome: "synced", new: 2, gap: null })
      expect((yield* lakeObject(key)).body).toBe(body)
      const [kept] = yield* lakeKeys("state/damaged/")
      expect(kept).toMatch(/^state\/damaged\/plays-\d+-\d+-[0-9a-f]{16}-\d+\.json$/)
      expect((yield* lakeObject(kept ?? "")).body).toBe(body.slice(0, 40))
      expect(logs).toContainEqual({ level: "WARN", message: `${key} did not hold what its name says (damaged by hand or by the disk?): kept as ${kept}, and written again whole` })
    }).pipe(Effect.provide(memoryWorld())))

  it.effect("a plays object damaged by hand or by the disk does not stop capture: its lost line's play lands again, the rest once", () =>
    Effect.gen(function*() {
      const first = plays(5, t0)
      yield* listen(first)
      yield* sync("first")
      const storage = yield* ObjectStorage
      const [key] = yield* lakeKeys("plays/")
      const lines = (yield* lakeObject(key ?? "")).body.split("\n")
      // Line 3 cut short, as a copy interrupted or an editor's slip leaves it.
      const damaged = [...lines.slice(0, 2), lines[2]!.slice(0, 40), ...lines.slice(3)].join("\n")
      yield* storage.remove(key ?? "")
      yield* storage.putIfAbsent(key ?? "", damaged)

      const more = plays(2, t0 + 60 * minute, 50)
      yield* listen(more)
      const { logs, result } = yield* capturingLogs(sync("after the damage"))
      expect(result).toMatchObject({ outcome: "synced", new: 3, gap: null })
      expect(logs).toContainEqual({ level: "WARN", message: expect.stringContaining(`${key} line 3 is not a play the lake can read`) })
      // Readable, every play of the timeline is there exactly once.
      const readable = (yield* Effect.forEach(yield* lakeKeys("plays/"), (k) => lakeObject(k))).flatMap((object) =>
        object.body.split("\n").filter((line) => line.startsWith("{") && line.endsWith("}")).map((line) => keysOf([JSON.parse(line)])[0])
      )
      expect([...readable].sort()).toEqual([...first, ...more].map(keyOf).sort())
    }).pipe(Effect.provide(memoryWorld())))

  it.effect("a damaged state file no longer stops capture: it is kept aside and the state begun again from the lake", () =>
    Effect.gen(function*() {
      const first = plays(10, t0)
      yield* listen(first)
      yield* sync("first")
      const storage = yield* ObjectStorage
      const status = syncStatus.pipe(Effect.provide(MemoryTokenStore.layer))
      const watching = (yield* status).watching_since
      const damaged = "{\"format\":2,\"watching_since\":\"2026-01-05T08:00:00.000Z\",\"cur"
      yield* storage.put("state/sync.json", damaged)
      expect((yield* status).damaged.map((d) => d.key)).toEqual(["state/sync.json"])

      const more = plays(3, t0 + 60 * minute, 100)
      yield* listen(more)
      const { logs, result } = yield* capturingLogs(sync("after the damage"))
      expect(result).toMatchObject({ outcome: "synced", new: 3, duplicates_skipped: 10, gap: null })
      const [kept] = yield* lakeKeys("state/damaged/")
      expect(kept).toMatch(/^state\/damaged\/sync-\d+\.json$/)
      expect((yield* lakeObject(kept ?? "")).body).toBe(damaged)
      expect(logs).toContainEqual({ level: "WARN", message: expect.stringContaining(`kept as ${kept}`) })
      const after = yield* status
      expect(after.damaged).toEqual([])
      expect(after.kept_damaged).toEqual([kept])
      expect(describeStatus(after, "./data")).toContain(
        `KEPT ASIDE: 1 damaged object(s) a run set aside in state/damaged/ and wrote again (the latest: ${kept}); see docs/lake.md`
      )
      expect(after.cursor).toBe(new Date(more[2]!.playedAtMs).toISOString())
      // When capture began comes back from its own object.
      expect(after.watching_since).toBe(watching)
      expect(yield* accountedFor([...first, ...more])).toEqual([])
      expect((yield* lakePlays).length).toBe(13)

      // A state a newer version wrote is not damaged: this version stops, says why, and moves nothing.
      yield* storage.put("state/sync.json", "{\"format\":3}")
      const newer = yield* Effect.flip(sync("older version"))
      expect(newer.message).toContain("state/sync.json was written by a newer spotify-pipeline (format 3")
      expect(yield* lakeKeys("state/damaged/")).toHaveLength(1)
    }).pipe(Effect.provide(memoryWorld())))

  it.effect("a damaged watching record no longer stops capture: kept aside and written again from the state", () =>
    Effect.gen(function*() {
      yield* listen(plays(4, t0))
      yield* sync("first")
      const status = syncStatus.pipe(Effect.provide(MemoryTokenStore.layer))
      const watching = (yield* status).watching_since
      const storage = yield* ObjectStorage
      yield* storage.put("state/watching.json", "{\"since\":")
      // With the state file lost too, status names the damaged record instead of failing.
      const state = (yield* lakeObject("state/sync.json")).body
      yield* storage.remove("state/sync.json")
      const both = yield* status
      expect(both.damaged.map((d) => d.key)).toEqual(["state/watching.json"])
      expect(both).toMatchObject({ started: true, state_missing: true, watching_since: null })
      yield* storage.put("state/sync.json", state)
      yield* listen(plays(2, t0 + 60 * minute, 100))
      const { logs, result } = yield* capturingLogs(sync("after the damage"))
      expect(result).toMatchObject({ outcome: "synced", new: 2, gap: null })
      const [kept] = yield* lakeKeys("state/damaged/")
      expect(kept).toMatch(/^state\/damaged\/watching-\d+\.json$/)
      expect((yield* lakeObject(kept ?? "")).body).toBe("{\"since\":")
      expect(logs).toContainEqual({ level: "WARN", message: expect.stringContaining(`kept as ${kept}`) })
      // Both records agree again: a later loss of the state file still knows when capture began.
      yield* storage.remove("state/sync.json")
      expect((yield* status).watching_since).toBe(watching)
    }).pipe(Effect.provide(memoryWorld())))

  it.effect("a damaged gap file where a new gap starts no longer stops capture: kept aside, the gap recorded again", () =>
    Effect.gen(function*() {
      const first = plays(10, t0)
      yield* listen(first)
      yield* sync("first")
      // The next gap starts at the newest play captured: its file is there already, damaged.
      const storage = yield* ObjectStorage
      const gapFile = `state/gaps/${first[9]!.playedAtMs}.json`
      yield* storage.putIfAbsent(gapFile, "{\"from\":")
      const burst = plays(80, t0 + 60 * minute, 100)
      yield* listen(burst)
      const { logs, result } = yield* capturingLogs(sync("burst"))
      expect(result).toMatchObject({ outcome: "synced", new: 50 })
      expect(result.gap?.from).toBe(new Date(first[9]!.playedAtMs).toISOString())
      const [kept] = yield* lakeKeys("state/damaged/")
      expect(kept).toMatch(new RegExp(`^state/damaged/gap-${first[9]!.playedAtMs}-\\d+\\.json$`))
      expect((yield* lakeObject(kept ?? "")).body).toBe("{\"from\":")
      expect(logs).toContainEqual({ level: "WARN", message: expect.stringContaining(`kept as ${kept}`) })
      expect((yield* recordedGaps).map((gap) => gap.from)).toEqual([first[9]!.playedAtMs])
      expect(yield* accountedFor([...first, ...burst])).toEqual([])
    }).pipe(Effect.provide(memoryWorld())))

  it.effect("damaged state, watching record and gap file are replaced in place: the function's role may not delete", () =>
    Effect.gen(function*() {
      const first = plays(10, t0)
      yield* listen(first)
      yield* sync("first")
      const storage = yield* ObjectStorage
      yield* storage.put("state/sync.json", "{\"format\":2,\"cur")
      yield* storage.put("state/watching.json", "{\"since\":")
      yield* storage.putIfAbsent(`state/gaps/${first[9]!.playedAtMs}.json`, "{\"from\":")
      const burst = plays(80, t0 + 60 * minute, 100)
      yield* listen(burst)
      // The same run, through a store that allows only what the function's role may do (no delete).
      const result = yield* sync("after the damage").pipe(Effect.provide(lakeOver(functionRoleStorage.pipe(Layer.provide(Layer.succeed(ObjectStorage, storage))))))
      expect(result).toMatchObject({ outcome: "synced", new: 50 })
      expect(result.gap?.from).toBe(new Date(first[9]!.playedAtMs).toISOString())
      expect((yield* lakeKeys("state/damaged/")).map((key) => key.replace(/-\d+\.json$/, ""))).toEqual([
        `state/damaged/gap-${first[9]!.playedAtMs}`,
        "state/damaged/sync",
        "state/damaged/watching"
      ])
      const status = yield* syncStatus.pipe(Effect.provide(MemoryTokenStore.layer))
      expect(status.damaged).toEqual([])
      expect(status.watching_since).not.toBeNull()
      expect(yield* accountedFor([...first, ...burst])).toEqual([])
    }).pipe(Effect.provide(memoryWorld())))

  it.effect("a lost state file: the lake says where capture stopped, and the next burst of 80 is a gap", () =>
    Effect.gen(function*() {
      const first = plays(10, t0)
      yield* listen(first)
      yield* sync("first")
      const status = syncStatus.pipe(Effect.provide(MemoryTokenStore.layer))
      const before = yield* status
      expect(before).toMatchObject({ state_missing: false, watching_since: expect.any(String) })
      yield* Effect.flatMap(ObjectStorage, (storage) => storage.remove("state/sync.json"))
      // status still says since when capture has watched (its own object), and that the state file is gone.
      expect(yield* status).toMatchObject({ started: true, state_missing: true, watching_since: before.watching_since, cursor: null })
      const burst = plays(80, t0 + 60 * minute, 100)
      yield* listen(burst)
      const after = yield* sync("after the loss")
      expect(after.new).toBe(50)
      expect(after.gap?.from).toBe(new Date(first[9]!.playedAtMs).toISOString())
      expect(yield* accountedFor([...first, ...burst])).toEqual([])
    }).pipe(Effect.provide(memoryWorld())))

  it.effect("a late play listed at the top of a full page, with an older played_at, does not hide a burst", () =>
    Effect.gen(function*() {
      const first = plays(10, t0)
      yield* listen(first)
      yield* sync("first")
      const burst = plays(60, t0 + 60 * minute, 100)
      yield* listen(burst)
      const late = { playedAtMs: t0 - 60 * minute, track: 500 }
      const newest49 = JSON.parse(pageBody(burst, 49))
      const lateItem = JSON.parse(pageBody([late], 1)).items[0]
      yield* scripted(JSON.stringify({ ...newest49, items: [lateItem, ...newest49.items] }))
      const after = yield* sync("hostile")
      expect(after).toMatchObject({ fetched: 50, new: 50 })
      expect(after.gap?.from).toBe(new Date(first[9]!.playedAtMs).toISOString())
      expect(after.gap?.to).toBe(new Date(burst[11]!.playedAtMs).toISOString())
      expect(yield* accountedFor([...first, ...burst])).toEqual([])
    }).pipe(Effect.provide(memoryWorld())))

  it.effect("a page of 49 after a burst (a slot taken by something Spotify does not list) is still a gap", () =>
    Effect.gen(function*() {
      const first = plays(10, t0)
      yield* listen(first)
      yield* sync("first")
      const burst = plays(70, t0 + 60 * minute, 100)
      yield* listen(burst)
      yield* scripted(pageBody(burst, 49))
      const after = yield* sync("short page")
      expect(after).toMatchObject({ fetched: 49, new: 49 })
      expect(after.gap).not.toBeNull()
      expect(yield* accountedFor([...first, ...burst])).toEqual([])
    }).pipe(Effect.provide(memoryWorld())))

  it.effect("the same play reported with milliseconds, then cut to whole seconds, lands once", () =>
    Effect.gen(function*() {
      const precise = { playedAtMs: t0 + 33_750, track: 7 }
      yield* listen([precise])
      yield* sync("precise")
      yield* scripted(pageBody([{ ...precise, wholeSecond: true }, { playedAtMs: t0 + 5 * minute, track: 8 }]))
      const again = yield* sync("cut")
      expect(again).toMatchObject({ new: 1, duplicates_skipped: 1 })
      expect((yield* lakePlays).map((p) => p.played_at)).toEqual([
        "2026-01-05T08:00:33.750Z",
        "2026-01-05T08:05:00.000Z"
      ])
    }).pipe(Effect.provide(memoryWorld())))
})

describe("the lake's own files", () => {
  it.effect("a retried run that fetched the same page keeps one raw object", () =>
    Effect.gen(function*() {
      const faults = yield* makeFaults
      yield* Effect.gen(function*() {
        yield* listen(plays(5, t0))
        // Lease, when watching began, state, raw page: the run dies right after keeping the page.
        yield* Ref.set(faults.plan, { at: 4, when: "after" as const })
        yield* Effect.exit(sync("crashing"))
        expect(yield* Ref.get(faults.crashed)).toBe(true)
        yield* Ref.set(faults.plan, null)
        yield* Ref.set(faults.crashed, false)
        yield* TestClock.adjust("10 minutes")
        expect((yield* sync("retry")).new).toBe(5)
        expect(yield* lakeKeys("raw/")).toHaveLength(1)
      }).pipe(Effect.provide(Layer.merge(lakeOver(crashingStorage(faults, MemoryStorage.layer)), layerFakeSpotify)))
    }))

  it.effect("a stray file in a day folder neither stops the sync nor is read as plays; status names it", () =>
    Effect.gen(function*() {
      yield* listen(plays(5, t0))
      yield* sync("first")
      const storage = yield* ObjectStorage
      yield* storage.putIfAbsent("plays/year=2026/month=01/day=05/README.txt", "notes")
      yield* storage.putIfAbsent("plays/year=2026/month=01/day=05/foreign.jsonl", "{\"not\":\"a play\"}\n")
      yield* listen(plays(3, t0 + 30 * minute, 10))
      expect((yield* sync("second")).new).toBe(3)
      const status = yield* syncStatus.pipe(Effect.provide(MemoryTokenStore.layer))
      expect(status.strangers).toEqual([
        "plays/year=2026/month=01/day=05/README.txt",
        "plays/year=2026/month=01/day=05/foreign.jsonl"
      ])
    }).pipe(Effect.provide(memoryWorld())))

  it.effect("status reports a damaged gap file and a damaged state, and still shows the rest", () =>
    Effect.gen(function*() {
      yield* listen(plays(5, t0))
      yield* sync("first")
      yield* listen(plays(60, t0 + 60 * minute, 100))
      yield* sync("burst")
      const storage = yield* ObjectStorage
      yield* storage.putIfAbsent("state/gaps/1.json", "{\"from\":\"yesterday\"}")
      const status = yield* syncStatus.pipe(Effect.provide(MemoryTokenStore.layer))
      expect(status.gap_count).toBe(2)
      expect(status.gaps).toHaveLength(1)
      expect(status.damaged).toEqual([{ key: "state/gaps/1.json", problem: expect.stringContaining("state/gaps/1.json is not readable") }])
      yield* storage.put("state/sync.json", "{\"format\":2")
      const broken = yield* syncStatus.pipe(Effect.provide(MemoryTokenStore.layer))
      expect(broken.damaged.map((d) => d.key)).toEqual(["state/sync.json", "state/gaps/1.json"])
      expect(broken.started).toBe(true)
      expect(Option.some(broken.gap_count)).toEqual(Option.some(2))
    }).pipe(Effect.provide(memoryWorld())))
})
