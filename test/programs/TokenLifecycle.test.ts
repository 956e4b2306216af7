import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Layer, Redacted, TestClock } from "effect"
import * as Emulator from "../../src/emulator/Emulator.js"
import { describeStatus } from "../../src/entrypoints/cli/RunReport.js"
import { syncStatus } from "../../src/programs/SyncStatus.js"
import { tokenLife } from "../../src/programs/TokenLifecycle.js"
import { TokenStore } from "../../src/services/tokens/TokenStore.js"
import { failureOf } from "../support/FailureOf.js"
import { lakePlays } from "../support/LakeInspect.js"
import { liveSpotify, requestsTo } from "../support/SpotifyOverEmulator.js"
import { readState, sync } from "../support/SyncKit.js"
import { lakeOver } from "../support/TestLake.js"
import * as MemoryStorage from "../../src/services/storage/MemoryStorage.js"
import * as MemoryTokenStore from "../../src/services/tokens/MemoryTokenStore.js"

const authorised = Date.UTC(2026, 7, 1, 12)

const storeToken = (authorisedAtMs: number, refreshToken = "emulator-refresh-token") =>
  Effect.flatMap(TokenStore, (store) =>
    store.set({ refresh_token: Redacted.make(refreshToken), authorised_at_ms: authorisedAtMs, bootstrap_fingerprint: null }))

const statusAt = (nowMs: number) =>
  Effect.zipRight(TestClock.setTime(nowMs), syncStatus)

const statusWorld = () => Layer.merge(lakeOver(MemoryStorage.layer), MemoryTokenStore.layer)

describe("the refresh token's six months, in status", () => {
  it.effect("status shows the token's age and end date; from five months on it warns, naming the command", () =>
    Effect.gen(function*() {
      yield* storeToken(authorised)
      const young = yield* statusAt(Date.UTC(2026, 10, 15, 12))
      expect(young.token).toMatchObject({
        authorised_at: "2026-08-01T12:00:00.000Z",
        age_days: 106,
        expires_at: "2027-02-01T12:00:00.000Z",
        days_left: 78,
        warning: null
      })
      expect(describeStatus(young, "./data").join("\n")).not.toContain("WARNING")

      expect((yield* statusAt(Date.UTC(2027, 0, 1, 12) - 1)).token?.warning).toBeNull()
      const due = yield* statusAt(Date.UTC(2027, 0, 1, 12))
      expect(due.token?.warning).toContain("`npm start -- login`")
      expect(describeStatus(due, "./data")).toContain(`WARNING:    ${due.token?.warning}`)

      const gone = yield* statusAt(Date.UTC(2027, 1, 1, 12))
      expect(gone.token?.days_left).toBe(0)
      expect(gone.token?.warning).toContain("reached Spotify's six-month limit on 2027-02-01T12:00:00.000Z")
    }).pipe(Effect.provide(statusWorld())))

  it.effect("a token stored under a clock ahead of this one is said to be, not 'minus N days ago'", () =>
    Effect.gen(function*() {
      yield* storeToken(authorised)
      const behind = yield* statusAt(authorised - 200 * 24 * 60 * 60 * 1000)
      expect(describeStatus(behind, "./data")).toContain(
        "token:      authorised 2026-08-01T12:00:00.000Z (200 days ahead of this machine's clock, which is behind or was ahead at login), " +
          "Spotify ends it 2027-02-01T12:00:00.000Z"
      )
    }).pipe(Effect.provide(statusWorld())))

  it("six calendar months: the end of August ends at the end of February", () => {
    expect(tokenLife({ authorised_at_ms: Date.UTC(2026, 7, 31) }, Date.UTC(2026, 7, 31)).expires_at).toBe("2027-02-28T00:00:00.000Z")
  })

  it.effect("with no token stored, status says to run login", () =>
    Effect.gen(function*() {
      const status = yield* syncStatus
      expect(status.token).toBeNull()
      expect(describeStatus(status, "./data")).toContain("token:      none stored (run `npm start -- login`)")
    }).pipe(Effect.provide(statusWorld())))
})

describe("invalid_grant over HTTP against the emulator, through IncrementalSync", () => {
  const world = (emulator: Emulator.Emulator) => Layer.merge(lakeOver(MemoryStorage.layer), liveSpotify(emulator))

  it.scoped("the sync stops at the first refusal, records it, status shows it until a login replaces the token, a good sync clears it", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(authorised)
      const emulator = yield* Emulator.make()
      yield* emulator.listen(3)
      yield* emulator.configure({ refreshTokenRevoked: true })
      const tokenCalls = Effect.map(requestsTo(emulator, "/api/token"), (r) => r.length)
      yield* Effect.gen(function*() {
        const exit = yield* Effect.exit(sync("refused"))
        const error = failureOf(exit)
        expect(error?._tag).toBe("SpotifyAuthRevoked")
        expect(error?.message).toContain("To reconnect, run `npm start -- login`")
        expect(error?.message).not.toContain("emulator-refresh-token")
        expect(yield* tokenCalls).toBe(1)
        expect(yield* lakePlays).toEqual([])
        const state = (yield* readState)
        expect(state.auth_revoked).toMatchObject({ at: authorised, message: error?.message })

        yield* TestClock.adjust(Duration.minutes(1))
        const status = yield* syncStatus
        expect(status.auth_revoked).toEqual({ at: new Date(authorised).toISOString(), message: error?.message })
        expect(describeStatus(status, "mem").join("\n")).toContain(`SYNC STOPPED since ${new Date(authorised).toISOString()}`)

        // What `login` does: a new token, authorised after the refusal.
        yield* emulator.configure({ refreshTokenRevoked: false })
        yield* storeToken(authorised + Duration.toMillis(Duration.minutes(1)))
        expect((yield* syncStatus).auth_revoked).toBeNull()
        expect((yield* readState).auth_revoked).not.toBeNull()

        const summary = yield* sync("reconnected")
        expect(summary).toMatchObject({ outcome: "synced", new: 3, token_warning: null })
        expect((yield* readState).auth_revoked).toBeNull()
      }).pipe(Effect.provide(world(emulator)))
    }))

  it.scoped("the live SpotifyAuth tells the sync the token's age: a sync five months on warns", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      yield* emulator.listen(2)
      yield* Effect.gen(function*() {
        yield* storeToken(authorised)
        yield* TestClock.setTime(Date.UTC(2027, 0, 20, 12))
        const summary = yield* sync("late")
        expect(summary.new).toBe(2)
        expect(summary.token_warning).toContain("in 12 days")
      }).pipe(Effect.provide(world(emulator)))
    }))
})
