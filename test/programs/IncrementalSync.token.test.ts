import { StateStore } from "../../src/services/lake/StateStore.js"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Either, Option, Ref, Schema, TestClock } from "effect"
import { SyncState } from "../../src/domain/SyncState.js"
import { describeRun } from "../../src/entrypoints/cli/RunReport.js"
import { SpotifyAuthRevoked } from "../../src/services/spotify/SpotifyAuth.js"
import { capturingLogs } from "../support/CapturedLogs.js"
import { FakeSpotifyTag } from "../support/FakeSpotify.js"
import { listen, minute, plays, readState, sync, t0 } from "../support/SyncKit.js"
import { memoryWorld } from "../support/TestLake.js"

describe("IncrementalSync and the refresh token's life", () => {
  const revoked = new SpotifyAuthRevoked({
    message: "Spotify refused the refresh token (invalid_grant: Refresh token revoked): ... To reconnect, run `npm start -- login`."
  })

  it.effect("invalid_grant: the run stops at once without retrying, records it in state, and the next good run clears it", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(t0 + 60 * minute)
      yield* listen(plays(3, t0))
      const first = yield* sync()
      const fake = yield* FakeSpotifyTag
      yield* Ref.set(fake.failures, [revoked])
      yield* TestClock.adjust(Duration.minutes(30))
      const refusedAt = t0 + 90 * minute

      const result = yield* Effect.either(sync())
      expect(result).toEqual(Either.left(revoked))
      expect(yield* Ref.get(fake.calls)).toBe(2)
      const state = yield* readState
      expect(state.auth_revoked).toEqual({ at: refusedAt, message: revoked.message })
      expect(state.cursor === null ? null : new Date(state.cursor).toISOString()).toBe(first.cursor)
      expect(state.last_run).toEqual(first)

      yield* Ref.set(fake.failures, [revoked])
      yield* TestClock.adjust(Duration.minutes(30))
      yield* Effect.either(sync())
      expect((yield* readState).auth_revoked?.at).toBe(refusedAt)

      const recovered = yield* sync()
      expect(recovered.outcome).toBe("synced")
      expect((yield* readState).auth_revoked).toBeNull()
    }).pipe(Effect.provide(memoryWorld())))

  it.effect("a first run refused by Spotify still leaves a state that says so, and notes the failed run", () =>
    Effect.gen(function*() {
      const fake = yield* FakeSpotifyTag
      yield* Ref.set(fake.failures, [revoked])
      expect(yield* Effect.either(sync())).toEqual(Either.left(revoked))
      const state = yield* readState
      expect(state.auth_revoked?.message).toContain("npm start -- login")
      expect(state.watching_since).toBeNull()
      const failure = yield* Effect.flatMap(StateStore, (store) => store.lastFailure)
      expect(failure).toEqual(Option.some({ at: yield* TestClock.currentTimeMillis, error: "SpotifyAuthRevoked", message: revoked.message }))
    }).pipe(Effect.provide(memoryWorld())))

  it.effect("from five months after authorisation every sync warns, in its summary and in the log; not a millisecond before", () =>
    Effect.gen(function*() {
      const authorised = Date.UTC(2026, 7, 1, 12)
      const fiveMonths = Date.UTC(2027, 0, 1, 12)
      const fake = yield* FakeSpotifyTag
      yield* Ref.set(fake.authorisedAtMs, Option.some(authorised))
      yield* listen(plays(2, authorised))

      yield* TestClock.setTime(fiveMonths - 1)
      const quiet = yield* capturingLogs(sync("before"))
      expect(quiet.result.token_warning).toBeNull()
      expect(quiet.logs.filter((l) => l.message.includes("refresh token"))).toEqual([])
      expect(describeRun(quiet.result, "the lake").join("\n")).not.toContain("TOKEN")

      yield* TestClock.setTime(fiveMonths)
      const warned = yield* capturingLogs(sync("after"))
      const warning = warned.result.token_warning
      expect(warning).toContain("2027-02-01T12:00:00.000Z")
      expect(warning).toContain("in 31 days")
      expect(warning).toContain("`npm start -- login`")
      expect(warned.logs).toContainEqual({ level: "WARN", message: warning })
      expect(describeRun(warned.result, "the lake")).toContain(`TOKEN: ${warning}`)
      expect((yield* readState).last_run?.token_warning).toBe(warning)

      yield* TestClock.setTime(Date.UTC(2027, 1, 1, 12))
      expect((yield* sync("expired")).token_warning).toContain("reached Spotify's six-month limit")
    }).pipe(Effect.provide(memoryWorld())))

  it.effect("a rotated token the store refused during the run is the run's token warning, over the age warning, and lands its plays", () =>
    Effect.gen(function*() {
      const fake = yield* FakeSpotifyTag
      yield* Ref.set(fake.authorisedAtMs, Option.some(Date.UTC(2026, 0, 1)))
      yield* TestClock.setTime(Date.UTC(2026, 5, 15))
      yield* listen(plays(2, Date.UTC(2026, 5, 15) - 10 * minute))
      const unsaved = "Spotify rotated the refresh token and the token store refused the new one (disk full): ..."
      yield* Ref.set(fake.refuseRotation, Option.some(unsaved))
      const run = yield* sync("rotated")
      expect(run.new).toBe(2)
      expect(run.token_warning).toBe(unsaved)
      expect(describeRun(run, "the lake")).toContain(`TOKEN: ${unsaved}`)
      expect((yield* readState).last_run?.token_warning).toBe(unsaved)
    }).pipe(Effect.provide(memoryWorld())))

  it("state and run summaries written before these fields existed still decode, with the defaults", () => {
    const old = {
      format: 1,
      cursor_ms: 1767600000137,
      cursor: "2026-01-05T08:00:00.137Z",
      watching_since_ms: 1767600000000,
      last_run: {
        outcome: "synced",
        started_at: "2026-01-05T09:00:00.000Z",
        finished_at: "2026-01-05T09:00:01.000Z",
        fetched: 1,
        new: 1,
        duplicates_skipped: 0,
        cursor: "2026-01-05T08:00:00.137Z",
        gap: null,
        objects: [],
        message: "1 new of 1 fetched"
      }
    }
    const state = Schema.decodeUnknownSync(Schema.parseJson(SyncState))(JSON.stringify(old))
    expect(state.auth_revoked).toBeNull()
    expect(state.last_run?.token_warning).toBeNull()
    expect(state.cursor).toBe(1767600000137)
  })
})
