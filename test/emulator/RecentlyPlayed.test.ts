import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit } from "effect"
import { RecentlyPlayedPage } from "../../src/domain/RecentlyPlayedPage.js"
import * as Emulator from "../../src/emulator/Emulator.js"
import { request } from "./http.js"
import { accessToken, ApiError, decodeBody, recentlyPlayed, recentlyPlayedPath } from "./support.js"

const setup = (plays: number, switches: Partial<Emulator.Switches> = {}) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.make({ seed: 3 })
    yield* emulator.configure(switches)
    yield* emulator.listen(plays)
    const token = yield* accessToken(emulator)
    const page = (query = "") => Effect.flatMap(recentlyPlayed(emulator, token, query), decodeBody(RecentlyPlayedPage))
    return { emulator, token, page }
  })

const identities = (page: RecentlyPlayedPage) => page.items.map((item) => `${item.played_at}|${item.track.uri}`)
const truth = (plays: ReadonlyArray<Emulator.EmulatedPlay>) => plays.map((play) => `${play.playedAtMs}|${play.trackUri}`)
const queryOf = (url: string) => new URL(url).search

describe("GET /v1/me/player/recently-played", () => {
  it.scoped("an empty history answers Spotify's empty page", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const token = yield* accessToken(emulator)
      const response = yield* recentlyPlayed(emulator, token, "?limit=50")
      expect(response.status).toBe(200)
      expect(response.body).toBe(
        `{"items":[],"next":null,"cursors":null,"limit":50,"href":"${emulator.url}${recentlyPlayedPath}?limit=50"}`
      )
    }))

  it.scoped("defaults to 20 items, newest first, with string cursors and a next that pages back", () =>
    Effect.gen(function*() {
      const { emulator, page } = yield* setup(30)
      const history = yield* emulator.history
      const first = yield* page()
      expect(first.limit).toBe(20)
      expect(identities(first)).toEqual(truth(history.slice(10).reverse()))
      expect(first.cursors).toEqual({ after: String(history[29]?.playedAtMs), before: String(history[10]?.playedAtMs) })
      expect(first.next).toBe(`${emulator.url}${recentlyPlayedPath}?before=${history[10]?.playedAtMs}&limit=20`)
      expect(first.href).toBe(`${emulator.url}${recentlyPlayedPath}`)
    }))

  it.scoped("href echoes the request as sent", () =>
    Effect.gen(function*() {
      const { emulator, page } = yield* setup(5)
      expect((yield* page("?type=track&limit=2")).href).toBe(`${emulator.url}${recentlyPlayedPath}?type=track&limit=2`)
    }))

  it.scoped("only the 50 most recent plays exist: the 51st disappears", () =>
    Effect.gen(function*() {
      const { emulator, page } = yield* setup(50)
      const before = yield* page("?limit=50")
      const [oldest] = yield* emulator.history
      expect(before.items).toHaveLength(50)
      expect(identities(before)).toContain(truth(oldest === undefined ? [] : [oldest])[0])
      const [newest] = yield* emulator.listen(1)
      const after = yield* page("?limit=50")
      const history = yield* emulator.history
      expect(history).toHaveLength(51)
      expect(identities(after)).toEqual(truth(history.slice(1).reverse()))
      expect(identities(after)[0]).toBe(truth(newest === undefined ? [] : [newest])[0])
      expect(after.next).toBeNull()
      expect((yield* page(`?before=${after.cursors?.before}&limit=50`)).items).toEqual([])
    }))

  it.scoped("limit must be a whole number from 1 to 50", () =>
    Effect.gen(function*() {
      const { emulator, token, page } = yield* setup(60)
      for (const limit of ["0", "51", "-1", "abc", "2.5", "", "1e1"]) {
        const response = yield* recentlyPlayed(emulator, token, `?limit=${limit}`)
        expect(response.status, `limit=${limit}`).toBe(400)
        expect(response.body).toBe(`{"error":{"status":400,"message":"Invalid limit"}}`)
      }
      expect((yield* page("?limit=1")).items).toHaveLength(1)
      expect((yield* page("?limit=50")).items).toHaveLength(50)
    }))

  it.scoped("after and before are never both allowed, and must be epoch milliseconds", () =>
    Effect.gen(function*() {
      const { emulator, token } = yield* setup(5)
      for (const query of ["?after=1&before=2", "?after=yesterday", "?before=-5"]) {
        const response = yield* recentlyPlayed(emulator, token, query)
        expect(response.status, query).toBe(400)
        expect((yield* decodeBody(ApiError)(response)).error.status).toBe(400)
      }
    }))

  it.scoped("after is strictly greater, before strictly less", () =>
    Effect.gen(function*() {
      const { emulator, page } = yield* setup(10)
      const history = yield* emulator.history
      const pivot = history[4]?.playedAtMs
      expect(identities(yield* page(`?after=${pivot}`))).toEqual(truth(history.slice(5).reverse()))
      expect(identities(yield* page(`?before=${pivot}`))).toEqual(truth(history.slice(0, 4).reverse()))
    }))

  it.scoped("an after page holds the oldest qualifying plays; next walks forward to the present without gaps", () =>
    Effect.gen(function*() {
      const { emulator, page } = yield* setup(30)
      const history = yield* emulator.history
      const first = yield* page(`?after=${history[4]?.playedAtMs}&limit=10`)
      expect(identities(first)).toEqual(truth(history.slice(5, 15).reverse()))
      expect(first.next).toBe(`${emulator.url}${recentlyPlayedPath}?after=${history[14]?.playedAtMs}&limit=10`)
      const seen = [...identities(first)]
      let next = first.next
      let pages = 1
      while (next !== null) {
        const current = yield* page(queryOf(next))
        seen.push(...identities(current))
        next = current.next
        pages++
      }
      expect(pages).toBe(3)
      expect([...seen].sort()).toEqual(truth(history.slice(5)).sort())
      expect(new Set(seen).size).toBe(seen.length)
      const caughtUp = yield* page(`?after=${history[29]?.playedAtMs}`)
      expect(caughtUp.items).toEqual([])
      expect(caughtUp.next).toBeNull()
      expect(caughtUp.cursors).toBeNull()
    }))

  it.scoped("following next from the first page walks back through the window, then stops", () =>
    Effect.gen(function*() {
      const { emulator, page } = yield* setup(45)
      const history = yield* emulator.history
      const sizes: Array<number> = []
      const seen: Array<string> = []
      let current = yield* page()
      for (;;) {
        sizes.push(current.items.length)
        seen.push(...identities(current))
        if (current.next === null) break
        expect(current.next).toBe(`${emulator.url}${recentlyPlayedPath}?before=${current.cursors?.before}&limit=20`)
        current = yield* page(queryOf(current.next))
      }
      expect(sizes).toEqual([20, 20, 5])
      expect(seen).toEqual(truth([...history].reverse()))
    }))

  it.scoped("whole-second plays are serialised without milliseconds and sit on whole seconds", () =>
    Effect.gen(function*() {
      const { emulator, token } = yield* setup(8, { wholeSecondShare: 1, localFileShare: 0 })
      const history = yield* emulator.history
      expect(history.every((play) => play.wholeSecond && play.playedAtMs % 1000 === 0)).toBe(true)
      const body = (yield* recentlyPlayed(emulator, token)).body
      const stamps = [...body.matchAll(/"played_at":"([^"]+)"/g)].map((match) => match[1])
      expect(stamps).toHaveLength(8)
      for (const stamp of stamps) expect(stamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
      yield* emulator.configure({ wholeSecondShare: 0 })
      const added = yield* emulator.listen(5)
      expect(added.every((play) => !play.wholeSecond)).toBe(true)
      const latest = (yield* recentlyPlayed(emulator, token, "?limit=5")).body
      for (const match of latest.matchAll(/"played_at":"([^"]+)"/g)) expect(match[1]).toMatch(/\.\d{3}Z$/)
    }))

  it.scoped("local files: is_local, null ids and hrefs, a spotify:local uri with the length in seconds", () =>
    Effect.gen(function*() {
      const { page } = yield* setup(6, { localFileShare: 1 })
      const items = (yield* page()).items
      expect(items).toHaveLength(6)
      for (const { track } of items) {
        expect(track.is_local).toBe(true)
        expect(track.id).toBeNull()
        expect(track.album.id).toBeNull()
        expect(track.artists.map((artist) => artist.id)).toEqual([null])
        const [scheme, kind, artist, album, title, seconds] = track.uri.split(":")
        expect([scheme, kind]).toEqual(["spotify", "local"])
        const decode = (part: string | undefined) => new URLSearchParams(`x=${part ?? ""}`).get("x")
        expect(decode(artist)).toBe(track.artists[0]?.name)
        expect(decode(album)).toBe(track.album.name)
        expect(decode(title)).toBe(track.name)
        expect(Number(seconds) * 1000).toBe(track.duration_ms)
        expect(track.uri).not.toContain(" ")
      }
    }))

  it.scoped("a late play added in the past shows in its place; one older than the window never shows", () =>
    Effect.gen(function*() {
      const { emulator, page } = yield* setup(10)
      const before = yield* emulator.history
      const between = Math.floor(((before[3]?.playedAtMs ?? 0) + (before[4]?.playedAtMs ?? 0)) / 2)
      const late = yield* emulator.addPlay({ playedAtMs: between, trackIndex: 5 })
      const history = yield* emulator.history
      expect(history).toHaveLength(11)
      expect(history[4]).toEqual(late)
      expect(identities(yield* page())).toEqual(truth([...history].reverse()))
      yield* emulator.listen(50)
      const ancient = yield* emulator.addPlay({ playedAtMs: (before[0]?.playedAtMs ?? 0) - 1 })
      expect(identities(yield* page("?limit=50"))).not.toContain(truth([ancient])[0])
      expect((yield* emulator.history)[0]).toEqual(ancient)
    }))

  it.scoped("an addPlay with no such track is a defect", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const exit = yield* Effect.exit(emulator.addPlay({ playedAtMs: 1, trackIndex: 1_000_000 }))
      expect(Exit.isFailure(exit) && Cause.isDie(exit.cause)).toBe(true)
    }))

  it.scoped("needs a valid bearer token", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const missing = yield* request(`${emulator.url}${recentlyPlayedPath}`)
      const invalid = yield* recentlyPlayed(emulator, "not-a-token")
      expect(missing.status).toBe(401)
      expect(invalid.status).toBe(401)
      expect(invalid.body).toBe(`{"error":{"status":401,"message":"Invalid access token"}}`)
      expect(missing.headers["www-authenticate"]).toContain("Bearer")
    }))

  it.scoped("unknown paths answer 404 in the regular error shape", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const response = yield* request(`${emulator.url}/v1/me/player/nowhere`)
      expect(response.status).toBe(404)
      expect((yield* decodeBody(ApiError)(response)).error.status).toBe(404)
    }))
})
