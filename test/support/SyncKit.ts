import { Effect, Option, Ref, TestClock } from "effect"
import { playKey } from "../../src/domain/Play.js"
import { defaultSyncOptions, incrementalSync } from "../../src/programs/IncrementalSync.js"
import { StateStore } from "../../src/services/lake/StateStore.js"
import { FakeSpotifyTag, type TimelinePlay } from "./FakeSpotify.js"

export const t0 = Date.UTC(2026, 0, 5, 8, 0, 0)
export const minute = 60_000

export const plays = (count: number, fromMs: number, firstTrack = 0): Array<TimelinePlay> =>
  Array.from({ length: count }, (_, i) => ({ playedAtMs: fromMs + i * 3 * minute + 137, track: firstTrack + i }))

/** Plays happen, so the clock is past them: a sync never sees a play before it has been heard. */
export const listen = (more: ReadonlyArray<TimelinePlay>) =>
  Effect.gen(function*() {
    const fake = yield* FakeSpotifyTag
    yield* Ref.update(fake.timeline, (all) => [...all, ...more])
    const newest = Math.max(...more.map((play) => play.playedAtMs))
    if (newest >= (yield* TestClock.currentTimeMillis)) yield* TestClock.setTime(newest + 1000)
  })

export const sync = (runId = "run") => incrementalSync({ ...defaultSyncOptions, runId })

export const readState = Effect.flatMap(StateStore, (store) => store.read).pipe(
  Effect.map(Option.getOrThrow),
  Effect.map((v) => v.state)
)

export const keysOf = (lines: ReadonlyArray<{ readonly played_at_ms: number; readonly track_uri: string }>) =>
  lines.map(playKey).sort()

/** A test timeline's play as the lake keys it. */
export const keyOf = (play: TimelinePlay) => playKey({ played_at_ms: play.playedAtMs, track_uri: `spotify:track:track${play.track}` })

export const expectedKeys = (timeline: ReadonlyArray<TimelinePlay>) => timeline.map(keyOf).sort()
