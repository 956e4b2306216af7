import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Layer, Option, Ref, TestClock } from "effect"
import * as Emulator from "../../src/emulator/Emulator.js"
import { playKey } from "../../src/domain/Play.js"
import { StateStore } from "../../src/services/lake/StateStore.js"
import { type CrashPlan, crashingTokenStore, makeFaults } from "../support/FaultInjection.js"
import { lakePlays } from "../support/LakeInspect.js"
import { afterEmulatedPlays, liveSpotify } from "../support/SpotifyOverEmulator.js"
import { sync } from "../support/SyncKit.js"
import { lakeOver } from "../support/TestLake.js"
import * as MemoryStorage from "../../src/services/storage/MemoryStorage.js"
import * as MemoryTokenStore from "../../src/services/tokens/MemoryTokenStore.js"

/*
 * The token writes of a sync (storing the bootstrap token, then the one Spotify rotated to),
 * each crashed just before and just after, with the live auth over HTTP against the emulator
 * set to rotate refresh tokens (the old one then dies, as Spotify's PKCE refresh did before
 * July 2026).
 */

const scenario = (plan: CrashPlan) =>
  Effect.gen(function*() {
    yield* TestClock.setTime(afterEmulatedPlays)
    const emulator = yield* Emulator.make({ seed: 9 })
    yield* emulator.configure({ refreshReturnsNewToken: true })
    const listened = yield* emulator.listen(14)
    const faults = yield* makeFaults
    const tokens = yield* Layer.build(MemoryTokenStore.layer)
    const store = Layer.succeedContext(tokens)
    const world = Layer.merge(
      lakeOver(MemoryStorage.layer),
      liveSpotify(emulator, { tokenStore: crashingTokenStore(faults, store) })
    )
    return yield* Effect.gen(function*() {
      yield* Ref.set(faults.plan, plan)
      const crashed = yield* Effect.exit(sync("crashing"))
      yield* Ref.set(faults.plan, null)
      yield* Ref.set(faults.crashed, false)
      const rerun = yield* Effect.exit(sync("rerun"))
      const lines = (yield* lakePlays).map(playKey)
      const state = yield* Effect.flatMap(StateStore, (s) => s.read)
      return {
        crashed,
        rerun,
        lines,
        expected: listened.map((p) => playKey({ played_at_ms: p.playedAtMs, track_uri: p.trackUri })),
        revoked: Option.flatMapNullable(state, (v) => v.state.auth_revoked)
      }
    }).pipe(Effect.provide(world))
  })

describe("crash points at token writes (live auth against the emulator, rotating tokens)", () => {
  for (const plan of [
    { at: 1, when: "before" },
    { at: 1, when: "after" },
    { at: 2, when: "after" }
  ] as const) {
    it.scoped(`crash ${plan.when} token write ${plan.at}: the rerun lands every play once`, () =>
      Effect.gen(function*() {
        const result = yield* scenario(plan)
        expect(Exit.isInterrupted(result.crashed)).toBe(true)
        expect(Exit.isSuccess(result.rerun)).toBe(true)
        expect([...result.lines].sort()).toEqual([...result.expected].sort())
      }))
  }

  it.scoped("crash after Spotify rotated the token but before it was stored: the old token is dead, so the rerun stops with a clear, recorded refusal and loses nothing", () =>
    Effect.gen(function*() {
      const result = yield* scenario({ at: 2, when: "before" })
      expect(Exit.isInterrupted(result.crashed)).toBe(true)
      expect(Exit.isFailure(result.rerun) && String(result.rerun.cause)).toContain("SpotifyAuthRevoked")
      expect(Option.isSome(result.revoked)).toBe(true)
      expect(result.lines).toEqual([])
    }))
})
