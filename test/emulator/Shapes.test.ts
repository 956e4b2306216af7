import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { parseJson, request } from "./http.js"
import { declaredProperties, type Definition, emptyPage, errorBodies, examplePage, validate } from "./fixtures.js"
import { arrayAt, asRecord, field, isLocalItem, isRecord, items, keyPaths, pagePaths, sortedKeys } from "./json.js"
import { emulatorWithPlays, getWithToken, recentlyPlayed } from "./support.js"

const exampleTrack = field(items(examplePage)[0], "track")
const exampleContext = field(items(examplePage)[0], "context")

describe("emulator bodies against the project's Spotify fixtures (test/fixtures/spotify)", () => {
  it.scoped("a full page (with whole-second items) fits the schema and has the example page's key structure", () =>
    Effect.gen(function*() {
      const { emulator, token } = yield* emulatorWithPlays({ localFileShare: 0, wholeSecondShare: 0.3 }, 60)
      const page = parseJson(yield* recentlyPlayed(emulator, token, "?limit=50"))
      expect(validate("RecentlyPlayedPage", page)).toBeNull()
      const playedAt = items(page).map((item) => String(field(item, "played_at")))
      expect(playedAt.some((at) => /:\d\dZ$/.test(at))).toBe(true)
      expect(playedAt.some((at) => /\.\d{3}Z$/.test(at))).toBe(true)
      const times = playedAt.map((at) => Date.parse(at))
      expect(times).toEqual([...times].sort((a, b) => b - a))
      expect(field(page, "cursors")).toEqual({ after: String(times[0]), before: String(times[times.length - 1]) })
      expect(Object.keys(asRecord(page))).toEqual(Object.keys(asRecord(examplePage)))
      expect(pagePaths(page)).toEqual(pagePaths(examplePage))
      expect("total" in asRecord(page)).toBe(false)
    }))

  it.scoped("contexts are null or have the example context's keys and a known type", () =>
    Effect.gen(function*() {
      const { emulator, token } = yield* emulatorWithPlays({ localFileShare: 0 }, 50)
      const contexts = items(parseJson(yield* recentlyPlayed(emulator, token, "?limit=50")))
        .map((item) => field(item, "context"))
      expect(contexts.filter(isRecord).length).toBeGreaterThan(0)
      expect(contexts.some((context) => context === null)).toBe(true)
      expect(sortedKeys(exampleContext)).toEqual(["external_urls", "href", "type", "uri"])
      for (const context of contexts.filter(isRecord)) {
        expect(sortedKeys(context)).toEqual(sortedKeys(exampleContext))
        expect(["playlist", "album", "artist"]).toContain(field(context, "type"))
        expect(validate("ContextObject", context)).toBeNull()
      }
    }))

  it.scoped("the empty page, an after page and a before page fit the schema and the examples' key structure", () =>
    Effect.gen(function*() {
      const { emulator, token } = yield* emulatorWithPlays({ localFileShare: 0 }, 30)
      const history = yield* emulator.history
      const empty = parseJson(yield* recentlyPlayed(emulator, token, `?after=${history[29]?.playedAtMs}`))
      const after = parseJson(yield* recentlyPlayed(emulator, token, `?after=${history[10]?.playedAtMs}&limit=5`))
      const before = parseJson(yield* recentlyPlayed(emulator, token, `?before=${history[10]?.playedAtMs}&limit=5`))
      for (const page of [empty, after, before]) expect(validate("RecentlyPlayedPage", page)).toBeNull()
      expect(Object.keys(asRecord(empty))).toEqual(Object.keys(asRecord(emptyPage)))
      expect({ ...asRecord(empty), href: "" }).toEqual({ ...asRecord(emptyPage), href: "", limit: 20 })
      expect(pagePaths(after, false)).toEqual(pagePaths(examplePage, false))
      expect(pagePaths(before, false)).toEqual(pagePaths(examplePage, false))
    }))

  it.scoped("local-file items fit only the local-file shape (null ids, hrefs, uris), with the example's track keys", () =>
    Effect.gen(function*() {
      const { emulator, token } = yield* emulatorWithPlays({ localFileShare: 0.5 }, 40)
      const page = parseJson(yield* recentlyPlayed(emulator, token, "?limit=50"))
      const local = items(page).filter(isLocalItem)
      const remote = items(page).filter((item) => !isLocalItem(item))
      expect(local.length).toBeGreaterThan(0)
      expect(remote.length).toBeGreaterThan(0)
      expect(validate("RecentlyPlayedPage", page)).toBeNull()
      for (const item of remote) {
        expect(validate("TrackObject", field(item, "track"))).toBeNull()
        expect(validate("LocalTrackObject", field(item, "track"))).not.toBeNull()
      }
      const exampleTrackPaths = keyPaths(exampleTrack)
      for (const item of local) {
        expect(validate("PlayHistoryObject", item)).toBeNull()
        expect(validate("LocalTrackObject", field(item, "track"))).toBeNull()
        expect(validate("TrackObject", field(item, "track"))).not.toBeNull()
        expect(sortedKeys(field(item, "track"))).toEqual(sortedKeys(exampleTrack))
        expect(sortedKeys(field(item, "track", "album"))).toEqual(sortedKeys(field(exampleTrack, "album")))
        for (const path of keyPaths(field(item, "track"))) expect(exampleTrackPaths).toContain(path)
      }
    }))

  it.scoped("every key the emulator emits is one the schema declares", () =>
    Effect.gen(function*() {
      const { emulator, token } = yield* emulatorWithPlays({ localFileShare: 0.2 }, 50)
      const page = parseJson(yield* recentlyPlayed(emulator, token, "?limit=50"))
      const tracks = items(page).map((item) => field(item, "track"))
      const local = (track: unknown) => field(track, "is_local") === true
      const remoteTracks = tracks.filter((track) => !local(track))
      const localTracks = tracks.filter(local)
      const checks: ReadonlyArray<readonly [Definition, ReadonlyArray<unknown>]> = [
        ["RecentlyPlayedPage", [page]],
        ["PlayHistoryObject", items(page)],
        ["TrackObject", remoteTracks],
        ["LocalTrackObject", localTracks],
        ["AlbumObject", remoteTracks.map((track) => field(track, "album"))],
        ["LocalAlbumObject", localTracks.map((track) => field(track, "album"))],
        ["ArtistObject", remoteTracks.flatMap((track) => arrayAt(track, "artists"))],
        ["LocalArtistObject", localTracks.flatMap((track) => arrayAt(track, "artists"))],
        ["ContextObject", items(page).map((item) => field(item, "context")).filter(isRecord)]
      ]
      for (const [definition, values] of checks) {
        expect(values.length, definition).toBeGreaterThan(0)
        const declared = declaredProperties(definition)
        for (const value of values) for (const key of sortedKeys(value)) expect(declared, `${definition}.${key}`).toContain(key)
      }
      const profile = parseJson(yield* getWithToken(emulator, "/v1/me", token))
      expect(validate("PrivateUserObject", profile)).toBeNull()
      const declaredUser = declaredProperties("PrivateUserObject")
      for (const key of sortedKeys(profile)) expect(declaredUser).toContain(key)
    }))

  it.scoped("error bodies fit the error shape; Invalid limit and an expired token read as Spotify writes them", () =>
    Effect.gen(function*() {
      const { emulator, token } = yield* emulatorWithPlays({}, 3)
      const noToken = yield* request(`${emulator.url}/v1/me/player/recently-played`)
      const badLimit = yield* recentlyPlayed(emulator, token, "?limit=0")
      yield* emulator.fault({ endpoint: "recently-played", kind: "rate-limit", retryAfterSeconds: 3 })
      const limited = yield* recentlyPlayed(emulator, token)
      yield* emulator.expireAccessTokens
      const expired = yield* recentlyPlayed(emulator, token)
      expect([noToken.status, badLimit.status, limited.status, expired.status]).toEqual([401, 400, 429, 401])
      for (const response of [noToken, badLimit, limited, expired]) {
        const body = parseJson(response)
        expect(validate("ErrorBody", body)).toBeNull()
        expect(field(body, "error", "status")).toBe(response.status)
      }
      expect(parseJson(badLimit)).toEqual(errorBodies.invalidLimit)
      expect(parseJson(expired)).toEqual(errorBodies.accessTokenExpired)
      expect(limited.headers["retry-after"]).toBe("3")
    }))
})
