import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Emulator from "../../src/emulator/Emulator.js"
import { tokenBodies, validate } from "./fixtures.js"
import { parseJson, request } from "./http.js"
import { sortedKeys } from "./json.js"
import { basic, bootstrapRefreshToken, clientId, postToken, refreshWithBasic } from "./support.js"

const redirectUri = "http://127.0.0.1:9/cb"

describe("token endpoint bodies against the project's Spotify fixtures (test/fixtures/spotify)", () => {
  it.scoped("a confidential refresh, a rotating PKCE refresh and a code exchange have the example bodies' keys", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const confidential = parseJson(yield* refreshWithBasic(emulator))
      expect(sortedKeys(confidential)).toEqual(sortedKeys(tokenBodies.confidentialRefresh))
      expect(validate("TokenBody", confidential)).toBeNull()

      yield* emulator.configure({ refreshReturnsNewToken: true })
      const rotated = parseJson(yield* postToken(emulator, {
        grant_type: "refresh_token",
        refresh_token: bootstrapRefreshToken,
        client_id: clientId
      }))
      expect(sortedKeys(rotated)).toEqual(sortedKeys(tokenBodies.pkceRefreshRotated))
      expect(validate("TokenBody", rotated)).toBeNull()

      const redirect = yield* request(
        `${emulator.url}/authorize?client_id=${clientId}&response_type=code&redirect_uri=${encodeURIComponent(redirectUri)}&scope=user-read-recently-played`
      )
      const code = new URL(redirect.headers.location ?? "http://invalid/").searchParams.get("code") ?? ""
      const exchanged = parseJson(yield* postToken(
        emulator,
        { grant_type: "authorization_code", code, redirect_uri: redirectUri },
        { Authorization: basic() }
      ))
      expect(sortedKeys(exchanged)).toEqual(sortedKeys(tokenBodies.codeExchange))
      expect(validate("TokenBody", exchanged)).toBeNull()
    }))

  it.scoped("an unknown client and a revoked refresh token get exactly the example error bodies", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const badClient = yield* postToken(
        emulator,
        { grant_type: "refresh_token", refresh_token: "x" },
        { Authorization: basic("someone-else") }
      )
      expect(badClient.status).toBe(400)
      expect(parseJson(badClient)).toEqual(tokenBodies.invalidClient)

      yield* emulator.configure({ refreshTokenRevoked: true })
      const revoked = yield* refreshWithBasic(emulator)
      expect(revoked.status).toBe(400)
      expect(parseJson(revoked)).toEqual(tokenBodies.refreshRevoked)
      for (const response of [badClient, revoked]) expect(validate("OAuthError", parseJson(response))).toBeNull()
    }))
})
