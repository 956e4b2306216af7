import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { emptyPage, errorBodies, examplePage, tokenBodies, validate } from "./fixtures.js"
import { parseJson } from "./http.js"
import { asRecord, field, items, sortedKeys } from "./json.js"
import { emulatorWithPlays, recentlyPlayed } from "./support.js"

const trackKeys = [
  "album", "artists", "available_markets", "disc_number", "duration_ms", "explicit", "external_ids", "external_urls",
  "href", "id", "is_local", "name", "popularity", "preview_url", "track_number", "type", "uri"
]

describe("the project's Spotify fixtures (test/fixtures/spotify)", () => {
  it("the example page fits the schema and reads as Spotify writes it", () => {
    expect(validate("RecentlyPlayedPage", examplePage)).toBeNull()
    expect(Object.keys(asRecord(examplePage))).toEqual(["items", "next", "cursors", "limit", "href"])
    const playedAt = items(examplePage).map((item) => String(field(item, "played_at")))
    expect(playedAt.some((at) => /:\d\dZ$/.test(at)) && playedAt.some((at) => /\.\d{3}Z$/.test(at))).toBe(true)
    const times = playedAt.map((at) => Date.parse(at))
    expect(times).toEqual([...times].sort((a, b) => b - a))
    const cursors = { after: String(times[0]), before: String(times[times.length - 1]) }
    expect(field(examplePage, "cursors")).toEqual(cursors)
    expect(field(examplePage, "next")).toBe(`https://api.spotify.com/v1/me/player/recently-played?before=${cursors.before}&limit=2`)
    expect(items(examplePage).map((item) => field(item, "context") === null)).toEqual([false, true])
    for (const item of items(examplePage)) {
      expect(Object.keys(asRecord(item))).toEqual(["track", "played_at", "context"])
      expect(sortedKeys(field(item, "track"))).toEqual(trackKeys)
    }
  })

  it("the empty page, the token bodies and the error bodies fit the schema", () => {
    expect(validate("RecentlyPlayedPage", emptyPage)).toBeNull()
    expect({ ...asRecord(emptyPage), href: "" }).toEqual({ items: [], next: null, cursors: null, limit: 50, href: "" })
    for (const body of [tokenBodies.codeExchange, tokenBodies.pkceRefreshRotated]) {
      expect(validate("TokenBody", body)).toBeNull()
      expect(body).toHaveProperty("refresh_token")
    }
    expect(validate("TokenBody", tokenBodies.confidentialRefresh)).toBeNull()
    expect(tokenBodies.confidentialRefresh).not.toHaveProperty("refresh_token")
    for (const body of [tokenBodies.refreshRevoked, tokenBodies.invalidClient]) expect(validate("OAuthError", body)).toBeNull()
    for (const body of Object.values(errorBodies)) expect(validate("ErrorBody", body)).toBeNull()
  })

  it.scoped("the schema bites: broken bodies are rejected", () =>
    Effect.gen(function*() {
      const { emulator, token } = yield* emulatorWithPlays({ localFileShare: 0 }, 3)
      const page = asRecord(parseJson(yield* recentlyPlayed(emulator, token)))
      const first = asRecord(items(page)[0])
      const track = asRecord(first["track"])
      const withItem = (item: Record<string, unknown>) => ({ ...page, items: [item] })
      const broken: ReadonlyArray<unknown> = [
        { ...page, limit: "3" },
        { ...page, total: 3 },
        { ...page, cursors: { after: 1, before: 2 } },
        { ...page, cursors: null },
        { ...page, items: [] },
        withItem({ ...first, played_at: "yesterday" }),
        withItem({ ...first, played_at: "2026-03-14T18:07:41+01:00" }),
        withItem({ ...first, track: { duration_ms: "long" } }),
        withItem({ ...first, track: { ...track, id: null, href: null } }),
        withItem({ ...first, track: { ...track, is_local: true } }),
        withItem({ ...first, context: { type: "show", href: "x", external_urls: {}, uri: "x" } })
      ]
      expect(validate("RecentlyPlayedPage", page)).toBeNull()
      for (const body of broken) expect(validate("RecentlyPlayedPage", body)).not.toBeNull()
      expect(validate("ErrorBody", { error: { status: 401 } })).not.toBeNull()
      expect(validate("ErrorBody", { error: { status: 200, message: "ok" } })).not.toBeNull()
      expect(validate("TokenBody", { ...tokenBodies.confidentialRefresh, token_type: "bearer" })).not.toBeNull()
      expect(validate("TokenBody", Object.fromEntries(Object.entries(tokenBodies.confidentialRefresh).filter(([key]) => key !== "expires_in")))).not.toBeNull()
      expect(validate("OAuthError", { error: "invalid_grant" })).not.toBeNull()
    }))
})
