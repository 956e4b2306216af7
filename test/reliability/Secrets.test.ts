import { describe, expect, it } from "@effect/vitest"
import { gunzipSync } from "node:zlib"
import { Cause, Context, Duration, Effect, Exit, Fiber, Layer, Logger, LogLevel, Option, TestClock } from "effect"
import * as Emulator from "../../src/emulator/Emulator.js"
import { defaultSyncOptions, incrementalSync } from "../../src/programs/IncrementalSync.js"
import { ObjectStorage } from "../../src/services/storage/ObjectStorage.js"
import { afterEmulatedPlays, liveSpotify, untilSleepingFor } from "../support/SpotifyOverEmulator.js"
import { lakeOver } from "../support/TestLake.js"
import { untilSleepingWithin } from "../support/TestClockDriver.js"
import { basic, bootstrapRefreshToken, clientSecret } from "../emulator/support.js"
import * as MemoryStorage from "../../src/services/storage/MemoryStorage.js"

// Everything the emulator hands out or is given that must stay secret.
const basicAuth = basic().replace(/^Basic /, "")
const spotifyTokens = /\b(?:BQ|AQ)[A-Za-z0-9_-]{60,}/

describe("secrets never reach a log line, an error or the lake's data", () => {
  it.scoped("a sync through rotation, 5xx, 429, an expired token, a bad page and a revoked token, logging everything, against a server that quotes every secret it is sent back in its errors", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(afterEmulatedPlays)
      const emulator = yield* Emulator.make({ seed: 5 })
      yield* emulator.configure({ refreshReturnsNewToken: true, echoSecrets: true })
      const output: Array<string> = []
      const capture = Logger.make(({ logLevel, message, annotations, spans, cause }) =>
        void output.push(
          `${logLevel.label} ${JSON.stringify(message)} ${JSON.stringify([...annotations])} ${JSON.stringify([...spans])} ${
            Cause.pretty(cause)
          }`
        )
      )
      const world = yield* Layer.build(Layer.merge(lakeOver(MemoryStorage.layer), liveSpotify(emulator)))
      const sync = (runId: string) =>
        incrementalSync({ ...defaultSyncOptions, runId }).pipe(
          Effect.provide(world),
          Effect.provide(Logger.replace(Logger.defaultLogger, capture)),
          Logger.withMinimumLogLevel(LogLevel.All),
          Effect.exit
        )
      const record = (exit: Exit.Exit<unknown, unknown>) =>
        output.push(
          Exit.match(exit, {
            onSuccess: (summary) => JSON.stringify(summary),
            onFailure: (cause) => `${Cause.pretty(cause)} ${JSON.stringify(Cause.failureOption(cause))} ${String(Cause.squash(cause))}`
          })
        )

      yield* emulator.listen(12)
      record(yield* sync("rotating"))

      yield* emulator.listen(3)
      yield* emulator.expireAccessTokens
      yield* emulator.fault({ endpoint: "recently-played", kind: "server-error", status: 503, body: "html" })
      yield* emulator.fault({ endpoint: "recently-played", kind: "rate-limit", retryAfterSeconds: 2 })
      const retrying = yield* Effect.fork(sync("retrying"))
      yield* untilSleepingWithin(800, 1_200)
      yield* untilSleepingFor(2_000)
      yield* TestClock.adjust(Duration.seconds(2))
      const retried = yield* Fiber.join(retrying)
      expect(Exit.isSuccess(retried)).toBe(true)
      record(retried)

      yield* emulator.fault({ endpoint: "recently-played", kind: "html-200" })
      const bad = yield* sync("bad page")
      expect(Exit.isFailure(bad)).toBe(true)
      record(bad)

      yield* emulator.configure({ refreshTokenRevoked: true })
      yield* emulator.expireAccessTokens
      const revoked = yield* sync("revoked")
      expect(Exit.isFailure(revoked)).toBe(true)
      record(revoked)

      const storage = Context.get(world, ObjectStorage)
      const objects = (yield* storage.list("")).filter((key) => key !== "state/token.json")
      for (const key of objects) {
        const bytes = Option.getOrThrow(yield* storage.getBytes(key)).bytes
        output.push(key.endsWith(".gz") ? gunzipSync(bytes).toString("utf8") : new TextDecoder().decode(bytes))
      }

      const tokenRequests = (yield* emulator.requests).filter((r) => r.path === "/api/token")
      expect(tokenRequests.length).toBeGreaterThanOrEqual(3)
      expect(output.some((line) => line.includes("rotated"))).toBe(true)
      expect(output.some((line) => line.includes("Spotify answered 503"))).toBe(true)
      // The server did quote them: the refusal below carried the refresh token and the client's Basic credentials.
      expect(output.some((line) => line.includes("you sent Basic <redacted> with grant_type=refresh_token&refresh_token=<redacted>"))).toBe(true)
      const everything = output.join("\n")
      expect(everything.length).toBeGreaterThan(10_000)
      expect(everything).not.toContain(clientSecret)
      expect(everything).not.toContain(bootstrapRefreshToken)
      expect(everything).not.toContain(basicAuth)
      expect(everything).not.toMatch(spotifyTokens)
    }))
})
