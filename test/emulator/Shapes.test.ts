import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Emulator from "../../src/emulator/Emulator.js"
import { parseJson, request } from "./http.js"
import {
  declaredProperties,
  isRecord,
  keyPaths,
  localFilePatches,
  pagePatches,
  pointers,
  sample2017,
  sample2023,
  sortedKeys,
  tokenSample,
  validator
} from "./spec.js"
import { accessToken, basic, getWithToken, postToken, recentlyPlayed, refreshWithBasic } from "./support.js"

const spec = validator(pagePatches)
const specWithLocalFiles = validator([...pagePatches, ...localFilePatches])

const items = (page: unknown): ReadonlyArray<unknown> => {
  const list = isRecord(page) ? page["items"] : undefined
  return Array.isArray(list) ? list : []
}
const field = (value: unknown, ...path: ReadonlyArray<string>): unknown =>
  path.reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), value)
const isLocalItem = (item: unknown) => field(item, "track", "is_local") === true

/** Key paths of a page, less `context.*` (all null in the 2023 sample; checked against 2017 below). */
const pagePaths = (page: unknown) => [...keyPaths(page)].filter((path) => !path.startsWith("items[].context.")).sort()

const emulatorWithPlays = (switches: Partial<Emulator.Switches>, plays: number) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.make({ seed: 7 })
    yield* emulator.configure(switches)
    yield* emulator.listen(plays)
    return { emulator, token: yield* accessToken(emulator) }
  })

describe("emulator bodies against openapi.yml and the recorded samples", () => {
  it.scoped("a full page (with whole-second items) fits the spec and the 2023 sample's key structure", () =>
    Effect.gen(function*() {
      const { emulator, token } = yield* emulatorWithPlays({ localFileShare: 0, wholeSecondShare: 0.3 }, 60)
      const page = parseJson(yield* recentlyPlayed(emulator, token, "?limit=50"))
      expect(spec.validate(pointers.page, page)).toBeNull()
      expect(items(page).some((item) => /:\d\dZ$/.test(String(field(item, "played_at"))))).toBe(true)
      expect(items(page).some((item) => /\.\d{3}Z$/.test(String(field(item, "played_at"))))).toBe(true)
      expect(Object.keys(isRecord(page) ? page : {})).toEqual(Object.keys(isRecord(sample2023) ? sample2023 : {}))
      expect(pagePaths(page)).toEqual(pagePaths(sample2023))
      expect("total" in (isRecord(page) ? page : {})).toBe(false)
    }))

  it.scoped("contexts have the keys of the recorded 2017 contexts", () =>
    Effect.gen(function*() {
      const { emulator, token } = yield* emulatorWithPlays({ localFileShare: 0 }, 50)
      const contexts = items(parseJson(yield* recentlyPlayed(emulator, token, "?limit=50")))
        .map((item) => field(item, "context"))
      const recorded = items(sample2017).map((item) => field(item, "context")).filter(isRecord)
      expect(recorded.length).toBeGreaterThan(0)
      expect(contexts.filter(isRecord).length).toBeGreaterThan(0)
      expect(contexts.some((context) => context === null)).toBe(true)
      for (const context of [...contexts.filter(isRecord), ...recorded]) {
        expect(sortedKeys(context)).toEqual(["external_urls", "href", "type", "uri"])
        expect(["playlist", "album", "artist"]).toContain(field(context, "type"))
      }
    }))

  it.scoped("the empty page, an after page and a before page fit the spec", () =>
    Effect.gen(function*() {
      const { emulator, token } = yield* emulatorWithPlays({ localFileShare: 0 }, 30)
      const history = yield* emulator.history
      const empty = parseJson(yield* recentlyPlayed(emulator, token, `?after=${history[29]?.playedAtMs}`))
      const after = parseJson(yield* recentlyPlayed(emulator, token, `?after=${history[10]?.playedAtMs}&limit=5`))
      const before = parseJson(yield* recentlyPlayed(emulator, token, `?before=${history[10]?.playedAtMs}&limit=5`))
      for (const page of [empty, after, before]) expect(spec.validate(pointers.page, page)).toBeNull()
      expect(items(empty)).toEqual([])
      expect(pagePaths(after)).toEqual(pagePaths(sample2023))
      expect(pagePaths(before)).toEqual(pagePaths(sample2023))
    }))

  it.scoped("local-file items fit the spec only with the documented local-file nulls, with the sample's track keys", () =>
    Effect.gen(function*() {
      const { emulator, token } = yield* emulatorWithPlays({ localFileShare: 0.5 }, 40)
      const page = parseJson(yield* recentlyPlayed(emulator, token, "?limit=50"))
      const local = items(page).filter(isLocalItem)
      const remote = items(page).filter((item) => !isLocalItem(item))
      expect(local.length).toBeGreaterThan(0)
      expect(specWithLocalFiles.validate(pointers.page, page)).toBeNull()
      for (const item of remote) expect(spec.validate(pointers.item, item)).toBeNull()
      const sampleTrack = field(items(sample2023)[0], "track")
      for (const item of local) {
        expect(spec.validate(pointers.item, item)).not.toBeNull()
        expect(sortedKeys(field(item, "track"))).toEqual(sortedKeys(sampleTrack))
        expect(sortedKeys(field(item, "track", "album"))).toEqual(sortedKeys(field(sampleTrack, "album")))
        const sampleTrackPaths = keyPaths(sampleTrack)
        for (const path of keyPaths(field(item, "track"))) expect(sampleTrackPaths).toContain(path)
      }
    }))

  it.scoped("every key the emulator emits is one the spec declares", () =>
    Effect.gen(function*() {
      const { emulator, token } = yield* emulatorWithPlays({ localFileShare: 0.2 }, 50)
      const page = parseJson(yield* recentlyPlayed(emulator, token, "?limit=50"))
      const checks: ReadonlyArray<readonly [string, ReadonlyArray<unknown>]> = [
        ["CursorPagingPlayHistoryObject", [page]],
        ["PlayHistoryObject", items(page)],
        ["TrackObject", items(page).map((item) => field(item, "track"))],
        ["SimplifiedAlbumObject", items(page).map((item) => field(item, "track", "album"))],
        ["ContextObject", items(page).map((item) => field(item, "context")).filter(isRecord)]
      ]
      for (const [schema, values] of checks) {
        const declared = declaredProperties(schema)
        for (const value of values) for (const key of sortedKeys(value)) expect(declared, `${schema}.${key}`).toContain(key)
      }
      const profile = parseJson(yield* getWithToken(emulator, "/v1/me", token))
      expect(spec.validate(pointers.privateUser, profile)).toBeNull()
      const declaredUser = declaredProperties("PrivateUserObject")
      for (const key of sortedKeys(profile)) expect(declaredUser).toContain(key)
    }))

  it.scoped("error bodies fit the spec's error responses", () =>
    Effect.gen(function*() {
      const { emulator, token } = yield* emulatorWithPlays({}, 3)
      const noToken = yield* request(`${emulator.url}/v1/me/player/recently-played`)
      const badLimit = yield* recentlyPlayed(emulator, token, "?limit=0")
      yield* emulator.fault({ endpoint: "recently-played", kind: "rate-limit", retryAfterSeconds: 3 })
      const limited = yield* recentlyPlayed(emulator, token)
      yield* emulator.expireAccessTokens
      const expired = yield* recentlyPlayed(emulator, token)
      expect([noToken.status, badLimit.status, limited.status, expired.status]).toEqual([401, 400, 429, 401])
      expect(spec.validate(pointers.unauthorized, parseJson(noToken))).toBeNull()
      expect(spec.validate(pointers.unauthorized, parseJson(expired))).toBeNull()
      expect(spec.validate(pointers.tooManyRequests, parseJson(limited))).toBeNull()
      expect(spec.validate(pointers.forbidden, parseJson(badLimit))).toBeNull()
      expect(spec.validate(pointers.errorObject, field(parseJson(badLimit), "error"))).toBeNull()
    }))

  it.scoped("the validator bites: broken bodies are rejected", () =>
    Effect.gen(function*() {
      const { emulator, token } = yield* emulatorWithPlays({ localFileShare: 0 }, 3)
      const page = parseJson(yield* recentlyPlayed(emulator, token))
      const first = items(page)[0]
      const broken = [
        { ...(isRecord(page) ? page : {}), limit: "3" },
        { ...(isRecord(page) ? page : {}), items: [{ ...(isRecord(first) ? first : {}), played_at: "yesterday" }] },
        { ...(isRecord(page) ? page : {}), items: [{ ...(isRecord(first) ? first : {}), track: { duration_ms: "long" } }] }
      ]
      for (const body of broken) expect(spec.validate(pointers.page, body)).not.toBeNull()
      expect(spec.validate(pointers.unauthorized, { error: { status: 401 } })).not.toBeNull()
      expect(validator([]).validate(pointers.page, { ...(isRecord(page) ? page : {}), next: null })).not.toBeNull()
    }))

  it.scoped("token bodies have the keys of the recorded token-endpoint fixtures (the spec has no token schema)", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const confidential = parseJson(yield* refreshWithBasic(emulator))
      expect(sortedKeys(confidential)).toEqual(sortedKeys(tokenSample("AuthorizationCodeRefresh.json")))

      yield* emulator.configure({ refreshReturnsNewToken: true })
      const rotated = parseJson(yield* postToken(emulator, {
        grant_type: "refresh_token",
        refresh_token: "emulator-refresh-token",
        client_id: "emulator-client"
      }))
      expect(sortedKeys(rotated)).toEqual(sortedKeys(tokenSample("AuthorizationCodePKCERefresh.json")))

      const redirect = yield* request(
        `${emulator.url}/authorize?client_id=emulator-client&response_type=code&redirect_uri=${encodeURIComponent("http://127.0.0.1:9/cb")}&scope=user-read-recently-played`
      )
      const code = new URL(redirect.headers.location ?? "http://invalid/").searchParams.get("code") ?? ""
      const exchanged = parseJson(yield* postToken(
        emulator,
        { grant_type: "authorization_code", code, redirect_uri: "http://127.0.0.1:9/cb" },
        { Authorization: basic() }
      ))
      expect(sortedKeys(exchanged)).toEqual(sortedKeys(tokenSample("AuthorizationCode.json")))

      const badClient = parseJson(yield* refreshWithBasic(emulator).pipe(Effect.zipRight(
        postToken(emulator, { grant_type: "refresh_token", refresh_token: "x" }, { Authorization: basic("someone-else") })
      )))
      expect(badClient).toEqual(tokenSample("auth-invalid-client.json"))

      yield* emulator.configure({ refreshTokenRevoked: true })
      expect(parseJson(yield* refreshWithBasic(emulator))).toEqual(tokenSample("AuthorizationCodeRefreshRevoked.json"))
    }))
})
