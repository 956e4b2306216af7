import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Catalog from "../../src/emulator/Catalog.js"
import * as Emulator from "../../src/emulator/Emulator.js"

const durations = new Map(Catalog.make(5).tracks.map((track) => [track.uri, track.duration_ms]))

describe("Emulator timeline", () => {
  it.scoped("starts at startMs and only ever appends after the latest play", () =>
    Effect.gen(function*() {
      const startMs = Date.parse("2026-03-01T10:00:00.000Z")
      const emulator = yield* Emulator.make({ seed: 5, startMs })
      const first = yield* emulator.listen(3)
      expect(first[0]?.playedAtMs).toBe(startMs)
      const second = yield* emulator.listen(200)
      expect(second).toHaveLength(200)
      const history = yield* emulator.history
      expect(history).toEqual([...first, ...second])
      history.slice(1).forEach((play, index) => expect(play.playedAtMs).toBeGreaterThan(history[index]?.playedAtMs ?? 0))
    }))

  it.scoped("is deterministic for a seed", () =>
    Effect.gen(function*() {
      const run = (seed: number) =>
        Effect.gen(function*() {
          const emulator = yield* Emulator.make({ seed })
          yield* emulator.listen(40)
          yield* emulator.listen(25)
          return yield* emulator.history
        })
      expect(yield* run(9)).toEqual(yield* run(9))
      expect(yield* run(9)).not.toEqual(yield* run(10))
    }))

  it.scoped("spaces plays about one track length apart, with skips, pauses and back-to-back repeats", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ seed: 5 })
      yield* emulator.configure({ wholeSecondShare: 0 })
      const history = yield* emulator.listen(400)
      const steps = history.slice(1).map((play, index) => ({
        gap: play.playedAtMs - (history[index]?.playedAtMs ?? 0),
        duration: durations.get(play.trackUri) ?? 0,
        repeat: play.trackUri === history[index]?.trackUri
      }))
      const fullPlays = steps.filter(({ duration, gap }) => gap >= duration && gap <= duration + 4_000)
      expect(fullPlays.length / steps.length).toBeGreaterThan(0.6)
      expect(steps.every(({ duration, gap }) => gap >= Math.min(duration, 30_000))).toBe(true)
      expect(steps.some(({ duration, gap }) => gap < duration)).toBe(true)
      expect(steps.some(({ duration, gap }) => gap > duration + 60 * 60_000)).toBe(true)
      expect(steps.some(({ repeat }) => repeat)).toBe(true)
    }))

  it.scoped("uses the share switches for whole-second and local-file plays", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ seed: 5 })
      const defaults = yield* emulator.listen(1000)
      const whole = defaults.filter((play) => play.wholeSecond).length
      const local = defaults.filter((play) => play.trackUri.startsWith("spotify:local:")).length
      expect(whole).toBeGreaterThan(50)
      expect(whole).toBeLessThan(150)
      expect(local).toBeGreaterThan(10)
      expect(local).toBeLessThan(60)
      for (const play of defaults) if (play.wholeSecond) expect(play.playedAtMs % 1000).toBe(0)
      yield* emulator.configure({ wholeSecondShare: 0, localFileShare: 0 })
      const plain = yield* emulator.listen(200)
      expect(plain.some((play) => play.wholeSecond || play.trackUri.startsWith("spotify:local:"))).toBe(false)
    }))
})
