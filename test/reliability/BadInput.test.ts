import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, Ref, TestClock } from "effect"
import { readdirSync, readFileSync } from "node:fs"
import { ObjectStorage } from "../../src/services/storage/ObjectStorage.js"
import { type CannedReply, cannedSpotify } from "../support/CannedSpotify.js"
import { failureOf } from "../support/FailureOf.js"
import { lakeKeys, lakeObject } from "../support/LakeInspect.js"
import { sync } from "../support/SyncKit.js"
import { lakeOver } from "../support/TestLake.js"
import * as MemoryStorage from "../../src/services/storage/MemoryStorage.js"

const corpus = new URL("../fixtures/bad-pages/", import.meta.url)
const fixture = (name: string) => readFileSync(new URL(name, corpus), "utf8")
const badPages = readdirSync(corpus).filter((name) => name !== "README.md" && name !== "extra-fields.json")

/** What each bad page's error must say, beyond "could not be read". */
const explains: Readonly<Record<string, RegExp>> = {
  "empty-body.txt": /the body: Unexpected end of JSON input/,
  "html-200.html": /the body: Unexpected token '<'.*began "<!DOCTYPE html>/,
  "item-without-track.json": /items\[1\]\.track: is missing/,
  "json-array.json": /the body: Expected RecentlyPlayedPage/,
  "malformed.json": /the body: .*JSON/,
  "missing-items.json": /items: is missing/,
  "missing-played-at.json": /items\[0\]\.played_at: is missing/,
  "truncated.json": /the body: .*JSON/,
  "unparseable-played-at.json": /items\[0\]\.played_at: expected an ISO-8601 UTC timestamp, got "yesterday"/,
  "wrong-type-duration.json": /items\[1\]\.track\.duration_ms: Expected number, actual "461000"/,
  "wrong-type-played-at.json": /items\[0\]\.played_at: Expected string, actual 1695397413750/,
  "enormous": /1000 plays for a limit of 50/,
  "february-30-played-at.json": /items\[0\]\.played_at: "2023-02-30T15:43:33\.750Z" is not a real moment/,
  "hour-24-played-at.json": /items\[0\]\.played_at: "2023-09-22T24:00:00Z" is not a real moment/,
  "year-0000-played-at.json": /items\[0\]\.played_at: "0000-09-22T15:43:33\.750Z" is outside 2008 to 2099/,
  "year-2250-played-at.json": /items\[0\]\.played_at: "2250-09-22T15:43:33\.750Z" is outside 2008 to 2099/
}

/** A page far beyond what was asked for: 1000 plays (a few MB) for a limit of 50. */
const enormous = () => {
  const page = JSON.parse(fixture("extra-fields.json"))
  const item = page.items[1]
  page.items = Array.from({ length: 1000 }, (_, i) => ({ ...item, played_at: new Date(Date.UTC(2023, 8, 1) + i * 200_000).toISOString() }))
  return JSON.stringify(page)
}
const bodyOf = (name: string) => name === "enormous" ? enormous() : fixture(name)

const good = JSON.stringify({
  href: "https://api.spotify.com/v1/me/player/recently-played?limit=50",
  limit: 50,
  next: null,
  cursors: { after: "1695390000000", before: "1695390000000" },
  items: [JSON.parse(fixture("extra-fields.json")).items[1]].map((item) => ({ ...item, played_at: "2023-09-22T13:40:00.000Z" }))
})

const world = (replies: Ref.Ref<ReadonlyArray<CannedReply>>) => Layer.merge(lakeOver(MemoryStorage.layer), cannedSpotify(replies))

// The fixtures' plays are from September 2023: the syncs run the next day.
const syncNextDay = (runId: string) => TestClock.setTime(Date.UTC(2023, 8, 23)).pipe(Effect.zipRight(sync(runId)))

/** Every object in the lake with its body, so "nothing changed" compares contents, not just names. */
const snapshot = Effect.gen(function*() {
  const storage = yield* ObjectStorage
  // The lease and the note of the last failed run are the runs' own bookkeeping, not the lake's data or state.
  const keys = (yield* lakeKeys("")).filter((key) => key !== "state/lease.json" && key !== "state/last-failure.json")
  return yield* Effect.forEach(keys, (key) =>
    Effect.map(storage.getBytes(key), (o) => [key, Buffer.from(Option.getOrThrow(o).bytes).toString("base64")] as const))
})

describe("bad input from Spotify (test/fixtures/bad-pages)", () => {
  for (const name of [...badPages, "enormous"]) {
    it.effect(`${name}: a typed BadResponse that says what was wrong; nothing written, state unchanged`, () =>
      Effect.gen(function*() {
        const replies = yield* Ref.make<ReadonlyArray<CannedReply>>([{ status: 200, body: good }])
        yield* Effect.gen(function*() {
          expect((yield* syncNextDay("good")).new).toBe(1)
          const before = yield* snapshot
          yield* Ref.set(replies, [{ status: 200, body: bodyOf(name) }])
          const exit = yield* Effect.exit(syncNextDay("bad"))
          const error = failureOf(exit)
          expect(error).toMatchObject({ _tag: "SpotifyClientError", reason: "BadResponse" })
          expect(error?.message).toMatch(/^Spotify's recently-played page could not be read: /)
          expect(error?.message).toMatch(explains[name] ?? /an explanation is listed for every file/)
          expect(error?.message.length).toBeLessThan(400)
          expect(yield* snapshot).toEqual(before)
          expect(JSON.parse((yield* lakeObject("state/last-failure.json")).body)).toMatchObject({ error: "SpotifyClientError" })
        }).pipe(Effect.provide(world(replies)))
      }))
  }

  it.effect("extra-fields.json: unknown fields are accepted and the plays land", () =>
    Effect.gen(function*() {
      const replies = yield* Ref.make<ReadonlyArray<CannedReply>>([{ status: 200, body: fixture("extra-fields.json") }])
      const summary = yield* syncNextDay("extra").pipe(Effect.provide(world(replies)))
      expect(summary).toMatchObject({ outcome: "synced", new: 2 })
    }))

  it.effect("a 429 with Retry-After: 86400 ends the run cleanly as rate_limited, writing nothing", () =>
    Effect.gen(function*() {
      const replies = yield* Ref.make<ReadonlyArray<CannedReply>>([{ status: 429, body: "", headers: { "retry-after": "86400" } }])
      yield* Effect.gen(function*() {
        const summary = yield* syncNextDay("limited")
        expect(summary.outcome).toBe("rate_limited")
        expect(yield* lakeKeys("plays/")).toEqual([])
        expect(yield* lakeKeys("state/sync.json")).toEqual([])
      }).pipe(Effect.provide(world(replies)))
    }))
})
