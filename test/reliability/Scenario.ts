import { Duration, Effect, Exit, Layer, Logger, LogLevel, Option, Ref, TestClock, TestContext } from "effect"
import * as fc from "fast-check"
import { playKey } from "../../src/domain/Play.js"
import { futureToleranceMs } from "../../src/programs/GapDetection.js"
import { ObjectStorage } from "../../src/services/storage/ObjectStorage.js"
import { SpotifyClientError } from "../../src/services/spotify/SpotifyClient.js"
import { StateStore } from "../../src/services/lake/StateStore.js"
import { type CrashPlan, crashingStorage, makeFaults } from "../support/FaultInjection.js"
import { FakeSpotifyTag, layerFakeSpotify, type TimelinePlay } from "../support/FakeSpotify.js"
import { lakeAside, lakePlays, recordedGaps } from "../support/LakeInspect.js"
import { keyOf, sync } from "../support/SyncKit.js"
import { lakeOver } from "../support/TestLake.js"
import * as MemoryStorage from "../../src/services/storage/MemoryStorage.js"

export type Step =
  | { readonly _tag: "Listen"; readonly plays: ReadonlyArray<{ readonly gapMs: number; readonly track: number; readonly wholeSecond: boolean }> }
  | { readonly _tag: "Late"; readonly agoMs: number; readonly track: number }
  | { readonly _tag: "Sync"; readonly spotifyFault: SpotifyFault | null; readonly crash: CrashPlan | null }
  /** A device with a wrong clock: one play stamped ahead of now (an hour to decades). */
  | { readonly _tag: "WrongClock"; readonly aheadMs: number; readonly track: number }
  /** `state/sync.json` is gone (deleted, a bad restore). */
  | { readonly _tag: "LoseState" }

export type SpotifyFault = "RateLimited" | "Unavailable" | "BadResponse"

const listenStep = fc.record({
  _tag: fc.constant("Listen" as const),
  plays: fc.integer({ min: 0, max: 80 }).chain((n) =>
    fc.array(
      fc.record({
        // Mostly a track's length apart; sometimes the same track back to back, sometimes a long pause.
        gapMs: fc.oneof(fc.integer({ min: 120_000, max: 300_000 }), fc.integer({ min: 1, max: 5_000 }), fc.integer({ min: 1, max: 86_400_000 })),
        track: fc.integer({ min: 0, max: 30 }),
        wholeSecond: fc.boolean()
      }),
      { minLength: n, maxLength: n }
    )
  )
})

const lateStep = fc.record({
  _tag: fc.constant("Late" as const),
  agoMs: fc.integer({ min: 1, max: 26 * 3_600_000 }),
  track: fc.integer({ min: 0, max: 30 })
})

const wrongClockStep = fc.record({
  _tag: fc.constant("WrongClock" as const),
  aheadMs: fc.oneof(fc.integer({ min: 3_600_000, max: 86_400_000 }), fc.integer({ min: 86_400_000, max: 70 * 365 * 86_400_000 })),
  track: fc.integer({ min: 0, max: 30 })
})

const loseStateStep = fc.record({ _tag: fc.constant("LoseState" as const) })

const syncStep = fc.record({
  _tag: fc.constant("Sync" as const),
  spotifyFault: fc.oneof(
    { weight: 6, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constantFrom<SpotifyFault>("RateLimited", "Unavailable", "BadResponse") }
  ),
  crash: fc.oneof(
    { weight: 4, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.record({ at: fc.integer({ min: 1, max: 9 }), when: fc.constantFrom("before" as const, "after" as const) }) }
  )
})

/**
 * Random listening (bursts past 50, late plays, repeats, whole seconds, plays stamped by a wrong
 * clock) interleaved with syncs, faults, crashes and a lost state file.
 */
export const scenario: fc.Arbitrary<ReadonlyArray<Step>> = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: listenStep },
    { weight: 1, arbitrary: lateStep },
    { weight: 1, arbitrary: wrongClockStep },
    { weight: 1, arbitrary: loseStateStep },
    { weight: 5, arbitrary: syncStep }
  ),
  { minLength: 1, maxLength: 14 }
)

export interface Verdict {
  readonly expected: number
  readonly lost: ReadonlyArray<string>
  readonly duplicated: number
  readonly unrecorded: ReadonlyArray<string>
  readonly gaps: number
  readonly cursorWentBack: boolean
}

const t0 = Date.UTC(2026, 0, 1)
const syncPeriod = Duration.minutes(30)
const newestFifty = (timeline: ReadonlyArray<TimelinePlay>) => [...timeline].sort((a, b) => b.playedAtMs - a.playedAtMs).slice(0, 50)

const faultOf = (fault: SpotifyFault) =>
  fault === "RateLimited"
    ? new SpotifyClientError({ reason: "RateLimited", message: "injected", retryAfterSeconds: 86_400 })
    : new SpotifyClientError({ reason: fault, message: "injected" })

/**
 * Plays a scenario against a memory lake and judges it: every play a successful sync saw is
 * in the lake once; every play no successful sync saw, though one ran after it (and after
 * watching began, and not a late play Spotify never showed), lies inside a recorded gap;
 * the cursor never moves back.
 */
export const play = (steps: ReadonlyArray<Step>) =>
  Effect.gen(function*() {
    const faults = yield* makeFaults
    const world = Layer.merge(lakeOver(crashingStorage(faults, MemoryStorage.layer)), layerFakeSpotify)
    return yield* Effect.gen(function*() {
      const fake = yield* FakeSpotifyTag
      const state = yield* StateStore
      yield* TestClock.setTime(t0)
      let latest = t0
      const seen = new Set<string>()
      const shownLate = new Set<string>()
      const late = new Set<string>()
      let watchingSince: number | null = null
      let lastSuccess = Number.NEGATIVE_INFINITY
      let lastCursor = Number.NEGATIVE_INFINITY
      let cursorWentBack = false
      for (const [i, step] of steps.entries()) {
        if (step._tag === "Listen") {
          // Listening goes on from now: only `Late` steps put plays into the past.
          latest = Math.max(latest, yield* TestClock.currentTimeMillis)
          const added = step.plays.map((p) => {
            latest += p.gapMs
            if (p.wholeSecond) latest = Math.ceil((latest + 1) / 1000) * 1000
            return { playedAtMs: latest, track: p.track, wholeSecond: p.wholeSecond }
          })
          yield* Ref.update(fake.timeline, (all) => [...all, ...added])
        } else if (step._tag === "Late") {
          const at = Math.min(latest, yield* TestClock.currentTimeMillis) - step.agoMs
          const play = { playedAtMs: at, track: step.track }
          const timeline = yield* Ref.get(fake.timeline)
          if (at > t0 && !timeline.some((p) => keyOf(p) === keyOf(play))) {
            late.add(keyOf(play))
            yield* Ref.set(fake.timeline, [...timeline, play])
          }
        } else if (step._tag === "WrongClock") {
          const play = { playedAtMs: (yield* TestClock.currentTimeMillis) + step.aheadMs, track: step.track }
          yield* Ref.update(fake.timeline, (all) => all.some((p) => keyOf(p) === keyOf(play)) ? all : [...all, play])
        } else if (step._tag === "LoseState") {
          yield* Effect.flatMap(ObjectStorage, (storage) => storage.remove("state/sync.json"))
        } else {
          // The schedule's next tick, and never before the plays it is to see have happened.
          const now = yield* TestClock.currentTimeMillis
          yield* TestClock.setTime(Math.max(now + Duration.toMillis(syncPeriod), latest + 1))
          const syncAt = yield* TestClock.currentTimeMillis
          // A play stamped past the sync's clock is kept aside, not landed: it is not owed to the lake (yet).
          const visible = newestFifty(yield* Ref.get(fake.timeline)).filter((p) => p.playedAtMs <= syncAt + futureToleranceMs)
          yield* Ref.set(fake.failures, step.spotifyFault === null ? [] : [faultOf(step.spotifyFault)])
          yield* Ref.set(faults.plan, step.crash)
          yield* Ref.set(faults.writes, [])
          const exit = yield* Effect.exit(sync(`run-${i}`))
          yield* Ref.set(faults.plan, null)
          yield* Ref.set(faults.crashed, false)
          if (Exit.isSuccess(exit) && exit.value.outcome === "synced") {
            lastSuccess = yield* TestClock.currentTimeMillis
            watchingSince ??= lastSuccess
            for (const p of visible) {
              seen.add(keyOf(p))
              if (late.has(keyOf(p))) shownLate.add(keyOf(p))
            }
          }
          const cursor = Option.match(yield* state.read, { onNone: () => null, onSome: (v) => v.state.cursor })
          if (cursor !== null) {
            cursorWentBack ||= cursor < lastCursor
            lastCursor = Math.max(lastCursor, cursor)
          }
        }
      }
      const lines = (yield* lakePlays).map(playKey)
      const inLake = new Set(lines)
      const gaps = yield* recordedGaps
      const timeline = yield* Ref.get(fake.timeline)
      const aside = new Set((yield* lakeAside).map(playKey))
      const unrecorded = timeline.filter((p) =>
        !inLake.has(keyOf(p)) && !aside.has(keyOf(p)) && !seen.has(keyOf(p)) && !(late.has(keyOf(p)) && !shownLate.has(keyOf(p))) &&
        watchingSince !== null && p.playedAtMs > watchingSince && p.playedAtMs <= lastSuccess &&
        !gaps.some((gap) => gap.from < p.playedAtMs && p.playedAtMs < gap.to)
      )
      return {
        expected: seen.size,
        lost: [...seen].filter((key) => !inLake.has(key)),
        duplicated: lines.length - inLake.size,
        unrecorded: unrecorded.map(keyOf),
        gaps: gaps.length,
        cursorWentBack
      } satisfies Verdict
    }).pipe(Effect.provide(world))
  }).pipe(Logger.withMinimumLogLevel(LogLevel.None), Effect.provide(TestContext.TestContext))
