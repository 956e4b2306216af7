import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { parseJson, request } from "./http.js"
import { asRecord, field, isLocalItem, isRecord, items, sortedKeys } from "./json.js"
import { declaredProperties, lazyValidator, localFilePatches, openapiPath, pagePatches, pointers } from "./openapi.js"
import { emulatorWithPlays, getWithToken, recentlyPlayed } from "./support.js"

const spec = lazyValidator(pagePatches)
const specWithLocalFiles = lazyValidator([...pagePatches, ...localFilePatches])
const unpatched = lazyValidator([])

const title = openapiPath === undefined
  ? "emulator bodies against the upstream OpenAPI spec (skipped: SPOTIFY_OPENAPI does not name an openapi.yml)"
  : "emulator bodies against the upstream OpenAPI spec named by SPOTIFY_OPENAPI"

describe.skipIf(openapiPath === undefined)(title, () => {
  it.scoped("a full page, the empty page, an after page and a before page fit the spec (with its documented nulls)", () =>
    Effect.gen(function*() {
      const { emulator, token } = yield* emulatorWithPlays({ localFileShare: 0, wholeSecondShare: 0.3 }, 60)
      const history = yield* emulator.history
      const full = parseJson(yield* recentlyPlayed(emulator, token, "?limit=50"))
      const empty = parseJson(yield* recentlyPlayed(emulator, token, `?after=${history[59]?.playedAtMs}`))
      const after = parseJson(yield* recentlyPlayed(emulator, token, `?after=${history[40]?.playedAtMs}&limit=5`))
      const before = parseJson(yield* recentlyPlayed(emulator, token, `?before=${history[40]?.playedAtMs}&limit=5`))
      expect(items(empty)).toEqual([])
      for (const page of [full, empty, after, before]) expect(spec.validate(pointers.page, page)).toBeNull()
    }))

  it.scoped("local-file items fit the spec only with the documented local-file nulls", () =>
    Effect.gen(function*() {
      const { emulator, token } = yield* emulatorWithPlays({ localFileShare: 0.5 }, 40)
      const page = parseJson(yield* recentlyPlayed(emulator, token, "?limit=50"))
      const local = items(page).filter(isLocalItem)
      expect(local.length).toBeGreaterThan(0)
      expect(specWithLocalFiles.validate(pointers.page, page)).toBeNull()
      for (const item of items(page).filter((item) => !isLocalItem(item))) expect(spec.validate(pointers.item, item)).toBeNull()
      for (const item of local) expect(spec.validate(pointers.item, item)).not.toBeNull()
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

  it.scoped("the validator bites: broken bodies are rejected, and the null patches are needed", () =>
    Effect.gen(function*() {
      const { emulator, token } = yield* emulatorWithPlays({ localFileShare: 0 }, 3)
      const page = asRecord(parseJson(yield* recentlyPlayed(emulator, token)))
      const first = asRecord(items(page)[0])
      const broken = [
        { ...page, limit: "3" },
        { ...page, items: [{ ...first, played_at: "yesterday" }] },
        { ...page, items: [{ ...first, track: { duration_ms: "long" } }] }
      ]
      for (const body of broken) expect(spec.validate(pointers.page, body)).not.toBeNull()
      expect(spec.validate(pointers.unauthorized, { error: { status: 401 } })).not.toBeNull()
      expect(unpatched.validate(pointers.page, { ...page, next: null })).not.toBeNull()
    }))
})
