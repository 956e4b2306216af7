import { describe, expect, it } from "@effect/vitest"
import { Context, Duration, Effect, Fiber, Logger, LogLevel, TestClock } from "effect"
import * as Emulator from "../../../src/emulator/Emulator.js"
import { htmlOk } from "../../../src/emulator/Fault.js"
import { RunDeadline } from "../../../src/services/spotify/RunDeadline.js"
import { SpotifyClient } from "../../../src/services/spotify/SpotifyClient.js"
import { recentlyPlayedPath } from "../../emulator/support.js"
import { failureOf } from "../../support/FailureOf.js"
import { buildLiveSpotify, liveSpotify, requestsTo, untilRequested, untilSleepingFor } from "../../support/SpotifyOverEmulator.js"
import { untilSleepingWithin } from "../../support/TestClockDriver.js"

const page = Effect.flatMap(SpotifyClient, (client) => client.recentlyPlayed(50))

/** What JSON.parse says of `text` (its wording is the Node version's). */
const jsonParseError = (text: string) => {
  try {
    JSON.parse(text)
    return "parsed"
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}

describe("SpotifyClient over HTTP against the emulator", () => {
  it.scoped("decodes the newest page, with whole-second and local-file plays, and keeps the body verbatim", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ seed: 3 })
      yield* emulator.configure({ wholeSecondShare: 0.5, localFileShare: 0.2 })
      const listened = yield* emulator.listen(60)
      const { page: result, body } = yield* page.pipe(Effect.provide(liveSpotify(emulator)))
      expect(result.items).toHaveLength(50)
      const newestFirst = [...listened].reverse().slice(0, 50)
      expect(result.items.map((i) => i.played_at)).toEqual(newestFirst.map((p) => p.playedAtMs))
      expect(result.items.map((i) => i.track.uri)).toEqual(newestFirst.map((p) => p.trackUri))
      expect(result.items.some((i) => i.track.id === null)).toBe(true)
      expect(JSON.parse(body).items).toHaveLength(50)
      expect(body).toMatch(/"played_at":"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z"/)
    }))

  it.scoped("429: waits exactly Retry-After on the clock, never sooner, then succeeds", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      yield* emulator.listen(3)
      yield* emulator.fault({ endpoint: "recently-played", kind: "rate-limit", retryAfterSeconds: 7, lowercaseHeader: true })
      const fiber = yield* Effect.fork(page.pipe(Effect.provide(liveSpotify(emulator))))
      yield* untilSleepingFor(7_000)
      yield* TestClock.adjust(Duration.millis(6_999))
      expect((yield* requestsTo(emulator, recentlyPlayedPath)).length).toBe(1)
      yield* TestClock.adjust(Duration.millis(1))
      const result = yield* Fiber.join(fiber)
      expect(result.page.items).toHaveLength(3)
      expect((yield* requestsTo(emulator, recentlyPlayedPath)).map((r) => r.status)).toEqual([429, 200])
    }))

  it.scoped("429 with a Retry-After beyond the run's deadline fails at once as RateLimited, without waiting", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      yield* emulator.fault({ endpoint: "recently-played", kind: "rate-limit", retryAfterSeconds: 86_400, emptyBody: true })
      const exit = yield* page.pipe(
        Effect.provide(liveSpotify(emulator)),
        Effect.provideService(RunDeadline, { atMs: Duration.toMillis(Duration.minutes(5)) }),
        Effect.exit
      )
      const error = failureOf(exit)
      expect(error).toMatchObject({ _tag: "SpotifyClientError", reason: "RateLimited", retryAfterSeconds: 86_400 })
      expect((yield* requestsTo(emulator, recentlyPlayedPath)).length).toBe(1)
    }))

  it.scoped("5xx with HTML and empty bodies back off exponentially with jitter, then succeed", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      yield* emulator.listen(2)
      yield* emulator.fault({ endpoint: "recently-played", kind: "server-error", status: 502, body: "html" })
      yield* emulator.fault({ endpoint: "recently-played", kind: "server-error", status: 503, body: "empty" })
      const fiber = yield* Effect.fork(page.pipe(Effect.provide(liveSpotify(emulator))))
      yield* untilSleepingWithin(800, 1_200)
      yield* untilSleepingWithin(1_600, 2_400)
      expect((yield* Fiber.join(fiber)).page.items).toHaveLength(2)
      expect((yield* requestsTo(emulator, recentlyPlayedPath)).map((r) => r.status)).toEqual([502, 503, 200])
    }))

  it.scoped("a server that never answers times out on the clock and the retry is served", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      yield* emulator.listen(1)
      yield* emulator.fault({ endpoint: "recently-played", kind: "hang" })
      const fiber = yield* Effect.fork(page.pipe(Effect.provide(liveSpotify(emulator))))
      // The token request's own (finished) timeout also sits on the TestClock at 20 s: wait for the hanging request itself.
      yield* untilRequested(emulator, recentlyPlayedPath, 1)
      yield* TestClock.adjust(Duration.seconds(20))
      yield* untilSleepingWithin(800, 1_200)
      expect((yield* Fiber.join(fiber)).page.items).toHaveLength(1)
    }))

  it.scoped("retries run out: the error says what Spotify answered", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      yield* emulator.fault({ endpoint: "recently-played", kind: "server-error", status: 500, body: "json", times: 6 })
      const fiber = yield* Effect.fork(Effect.exit(page.pipe(Effect.provide(liveSpotify(emulator)))))
      const waits: Array<number> = []
      for (const seconds of [1, 2, 4, 8, 16]) waits.push(yield* untilSleepingWithin(seconds * 800, seconds * 1_200))
      expect(new Set(waits).size).toBeGreaterThan(1)
      const error = failureOf(yield* Fiber.join(fiber))
      expect(error).toMatchObject({ _tag: "SpotifyClientError", reason: "Unavailable" })
      expect(error?.message).toMatch(/^recently-played: Spotify answered 500 to http:\/\/127\.0\.0\.1:\d+\/v1\/me\/player\/recently-played$/)
      expect((yield* requestsTo(emulator, recentlyPlayedPath)).length).toBe(6)
    }))

  it.scoped("an expired access token gets one fresh token and the request succeeds", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      yield* emulator.listen(4)
      const client = Context.get(yield* buildLiveSpotify(emulator), SpotifyClient)
      yield* client.recentlyPlayed(50)
      yield* emulator.expireAccessTokens
      const again = yield* client.recentlyPlayed(50)
      expect(again.page.items).toHaveLength(4)
      expect((yield* requestsTo(emulator, recentlyPlayedPath)).map((r) => r.status)).toEqual([200, 401, 200])
      expect((yield* requestsTo(emulator, "/api/token")).length).toBe(2)
    }))

  // test/reliability/BadInput.test.ts feeds every bad page through a canned transport; here the
  // emulator's own faults come over HTTP, with their real headers and lengths.
  it.scoped("a 200 HTML page and a 200 cut in half, over HTTP: BadResponse saying exactly what came back, not retried", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      yield* emulator.listen(5)
      yield* emulator.fault({ endpoint: "recently-played", kind: "html-200" })
      yield* emulator.fault({ endpoint: "recently-played", kind: "truncated" })
      const client = Context.get(yield* buildLiveSpotify(emulator), SpotifyClient)
      const html = failureOf(yield* Effect.exit(client.recentlyPlayed(50)))
      const truncated = failureOf(yield* Effect.exit(client.recentlyPlayed(50)))
      const { body: whole } = yield* client.recentlyPlayed(50)

      expect(html).toMatchObject({ _tag: "SpotifyClientError", reason: "BadResponse" })
      expect(html?.message).toBe(
        `Spotify's recently-played page could not be read: the body: ${jsonParseError(htmlOk().body)} ` +
          `(the body began "<!DOCTYPE html>\\n<html lang=\\"en\\"><head><meta charset=\\"utf-8\\">…")`
      )
      expect(truncated).toMatchObject({ _tag: "SpotifyClientError", reason: "BadResponse" })
      expect(truncated?.message).toBe(
        `Spotify's recently-played page could not be read: the body: ${jsonParseError(whole.slice(0, Math.floor(whole.length / 2)))} ` +
          `(the body began "{\\"items\\":[{\\"track\\":{\\"album\\":{\\"album_type\\":\\"album\\",\\"artists\\":…")`
      )
      expect((yield* requestsTo(emulator, recentlyPlayedPath)).map((r) => [r.status, r.fault]))
        .toEqual([[200, "html-200"], [200, "truncated"], [200, null]])
    }))

  it.scoped("no secret reaches a log line or an error, through token rotation, re-auth and a bad page", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      yield* emulator.configure({ refreshReturnsNewToken: true })
      const logs: Array<string> = []
      const capture = Logger.add(Logger.make(({ message }) => void logs.push(JSON.stringify(message))))
      const client = Context.get(yield* buildLiveSpotify(emulator), SpotifyClient)
      yield* emulator.listen(2)
      const error = yield* Effect.gen(function*() {
        yield* client.recentlyPlayed(50)
        yield* emulator.expireAccessTokens
        yield* client.recentlyPlayed(50)
        yield* emulator.fault({ endpoint: "recently-played", kind: "html-200" })
        return failureOf(yield* Effect.exit(client.recentlyPlayed(50)))
      }).pipe(Effect.provide(capture), Logger.withMinimumLogLevel(LogLevel.All))
      expect(error).toMatchObject({ reason: "BadResponse" })
      expect(logs.filter((line) => line.includes("rotated"))).toHaveLength(2)
      const everything = [...logs, JSON.stringify(error), String(error?.message)].join("\n")
      expect(everything).not.toMatch(/emulator-secret|emulator-refresh-token|Bearer /)
    }))
})
