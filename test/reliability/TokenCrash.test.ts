import { describe, expect, it } from "@effect/vitest"
import { Context, Deferred, Effect, Exit, Layer, Option, Redacted, Ref, TestClock } from "effect"
import * as Emulator from "../../src/emulator/Emulator.js"
import { playKey } from "../../src/domain/Play.js"
import { StateStore } from "../../src/services/lake/StateStore.js"
import { type CrashPlan, crashingTokenStore, makeFaults } from "../support/FaultInjection.js"
import { lakePlays } from "../support/LakeInspect.js"
import { afterEmulatedPlays, liveSpotify } from "../support/SpotifyOverEmulator.js"
import { sync } from "../support/SyncKit.js"
import { lakeOver } from "../support/TestLake.js"
import { ObjectStorage, StorageError } from "../../src/services/storage/ObjectStorage.js"
import * as MemoryStorage from "../../src/services/storage/MemoryStorage.js"
import { TokenStore } from "../../src/services/tokens/TokenStore.js"
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

  // A run reads its state while it fetches the page. Here the state read fails at the worst
  // moment, while Spotify's rotated token is being stored: had the failure cut the fetch short,
  // the new token would be lost and the old one is dead, so the next run could not sync at all.
  it.scoped("a state read failing while the rotated token is being stored does not cut the store short: the next run syncs", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(afterEmulatedPlays)
      const emulator = yield* Emulator.make({ seed: 9 })
      yield* emulator.configure({ refreshReturnsNewToken: true })
      const listened = yield* emulator.listen(14)
      const storing = yield* Deferred.make<void>()
      const readFailed = yield* Deferred.make<void>()
      const reads = { failing: true }
      const storage = Layer.effect(
        ObjectStorage,
        Effect.map(ObjectStorage, (inner) => ({
          ...inner,
          // Decided at each run of the effect: a store may build its read once and run it many times.
          get: (key: string) =>
            Effect.suspend(() =>
              key === "state/sync.json" && reads.failing
                ? Effect.zipRight(
                  Deferred.await(storing),
                  Effect.zipRight(
                    Deferred.succeed(readFailed, undefined),
                    Effect.fail(new StorageError({ reason: "Unavailable", key, message: `S3 GetObject ${key} failed (HTTP 503)` }))
                  )
                )
                : inner.get(key)
            )
        }))
      ).pipe(Layer.provide(MemoryStorage.layer))
      const tokens = yield* Layer.build(MemoryTokenStore.layer)
      const inner = Context.get(tokens, TokenStore)
      // Storing the rotated token waits until the state read has failed, and then a while.
      const tokenStore = Layer.succeed(TokenStore, {
        get: inner.get,
        set: (token) =>
          Redacted.value(token.refresh_token) === "emulator-refresh-token"
            ? inner.set(token)
            : Deferred.succeed(storing, undefined).pipe(
              Effect.zipRight(Deferred.await(readFailed)),
              // Time for the failure to reach the run's other fibers, as a slow store gives it.
              Effect.zipRight(Effect.repeatN(Effect.yieldNow(), 100)),
              Effect.zipRight(inner.set(token))
            )
      })
      const world = Layer.merge(lakeOver(storage), liveSpotify(emulator, { tokenStore }))
      const { failed, rerun, lines } = yield* Effect.gen(function*() {
        const failed = yield* Effect.exit(sync("state unreadable"))
        reads.failing = false
        const rerun = yield* Effect.exit(sync("rerun"))
        return { failed, rerun, lines: (yield* lakePlays).map(playKey) }
      }).pipe(Effect.provide(world))
      expect(Exit.isFailure(failed) && String(failed.cause)).toContain("HTTP 503")
      expect(Exit.isSuccess(rerun)).toBe(true)
      expect([...lines].sort()).toEqual(listened.map((p) => playKey({ played_at_ms: p.playedAtMs, track_uri: p.trackUri })).sort())
    }))
})
