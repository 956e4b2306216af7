import { createHash, randomBytes } from "node:crypto"
import { describe, expect, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import * as Emulator from "../../src/emulator/Emulator.js"
import { request } from "./http.js"
import {
  accessToken,
  ApiError,
  basic,
  bootstrapRefreshToken,
  clientId,
  decodeBody,
  getWithToken,
  OAuthError,
  postToken,
  recentlyPlayed,
  refreshWithBasic,
  TokenBody
} from "./support.js"

const redirectUri = "http://127.0.0.1:8888/callback"

const authorize = (emulator: Emulator.Emulator, params: Readonly<Record<string, string>>) =>
  request(`${emulator.url}/authorize?${new URLSearchParams(params).toString()}`)

const authorizeCode = (emulator: Emulator.Emulator, extra: Readonly<Record<string, string>> = {}) =>
  Effect.gen(function*() {
    const response = yield* authorize(emulator, {
      client_id: clientId,
      response_type: "code",
      redirect_uri: redirectUri,
      state: "s-42",
      scope: "user-read-recently-played user-read-private",
      ...extra
    })
    expect(response.status).toBe(302)
    const location = new URL(response.headers.location ?? "http://invalid/")
    expect(`${location.origin}${location.pathname}`).toBe(redirectUri)
    expect(location.searchParams.get("state")).toBe("s-42")
    return location.searchParams.get("code") ?? ""
  })

const oauthError = (response: { readonly status: number; readonly body: string }) =>
  Effect.map(decodeBody(OAuthError)(response), (body) => ({ status: response.status, ...body }))

const pkcePair = () => {
  const verifier = randomBytes(48).toString("base64url")
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") }
}

describe("POST /api/token", () => {
  it.scoped("refreshes with Basic auth: Bearer, 3600 s, the token's scope, and no new refresh token by default", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const body = yield* Effect.flatMap(refreshWithBasic(emulator), decodeBody(TokenBody))
      expect(body.scope).toBe("user-read-recently-played")
      expect(body.refresh_token).toBeUndefined()
      expect((yield* recentlyPlayed(emulator, body.access_token)).status).toBe(200)
      expect((yield* refreshWithBasic(emulator)).status).toBe(200)
    }))

  it.scoped("refreshes as a PKCE public client with client_id only", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ clientId: "public-app", refreshToken: "my-refresh" })
      const response = yield* postToken(emulator, { grant_type: "refresh_token", refresh_token: "my-refresh", client_id: "public-app" })
      expect(response.status).toBe(200)
      const wrongApp = yield* postToken(emulator, { grant_type: "refresh_token", refresh_token: "my-refresh", client_id: "other" })
      expect(yield* oauthError(wrongApp)).toEqual({ status: 400, error: "invalid_client", error_description: "Invalid client" })
    }))

  it.scoped("refuses bad client credentials and unknown refresh tokens", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ clientSecret: "right" })
      const refresh = { grant_type: "refresh_token", refresh_token: bootstrapRefreshToken }
      expect(yield* oauthError(yield* postToken(emulator, refresh, { Authorization: basic(clientId, "wrong") })))
        .toEqual({ status: 400, error: "invalid_client", error_description: "Invalid client secret" })
      expect(yield* oauthError(yield* postToken(emulator, refresh, { Authorization: basic("who", "right") })))
        .toEqual({ status: 400, error: "invalid_client", error_description: "Invalid client" })
      expect((yield* oauthError(yield* postToken(emulator, refresh))).error).toBe("invalid_client")
      const unknown = yield* postToken(emulator, { ...refresh, refresh_token: "nope" }, { Authorization: basic(clientId, "right") })
      expect(yield* oauthError(unknown)).toEqual({ status: 400, error: "invalid_grant", error_description: "Invalid refresh token" })
    }))

  it.scoped("answers unsupported_grant_type for a missing or unknown grant", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const missing = yield* postToken(emulator, { refresh_token: bootstrapRefreshToken }, { Authorization: basic() })
      const password = yield* postToken(emulator, { grant_type: "password" }, { Authorization: basic() })
      expect((yield* oauthError(missing)).error).toBe("unsupported_grant_type")
      expect((yield* oauthError(password)).error).toBe("unsupported_grant_type")
    }))

  it.scoped("rotation switch: a new refresh token each time, and the old one then fails invalid_grant", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      yield* emulator.configure({ refreshReturnsNewToken: true })
      const first = yield* Effect.flatMap(refreshWithBasic(emulator), decodeBody(TokenBody))
      const rotated = first.refresh_token ?? ""
      expect(rotated).not.toBe("")
      expect(rotated).not.toBe(bootstrapRefreshToken)
      expect(yield* oauthError(yield* refreshWithBasic(emulator)))
        .toEqual({ status: 400, error: "invalid_grant", error_description: "Invalid refresh token" })
      const second = yield* Effect.flatMap(refreshWithBasic(emulator, rotated), decodeBody(TokenBody))
      expect(second.refresh_token).not.toBe(rotated)
      yield* emulator.configure({ refreshReturnsNewToken: false })
      const third = yield* Effect.flatMap(refreshWithBasic(emulator, second.refresh_token ?? ""), decodeBody(TokenBody))
      expect(third.refresh_token).toBeUndefined()
    }))

  it.scoped("revoked switch: every refresh answers invalid_grant Refresh token revoked", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      yield* emulator.configure({ refreshTokenRevoked: true })
      const response = yield* refreshWithBasic(emulator)
      expect(response.status).toBe(400)
      expect(response.body).toBe(`{"error":"invalid_grant","error_description":"Refresh token revoked"}`)
    }))

  it.scoped("expireAccessTokens: issued tokens answer 401 The access token expired; a refresh gets a working one", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const token = yield* accessToken(emulator)
      yield* emulator.expireAccessTokens
      const expired = yield* recentlyPlayed(emulator, token)
      expect(expired.status).toBe(401)
      expect(expired.body).toBe(`{"error":{"status":401,"message":"The access token expired"}}`)
      expect((yield* getWithToken(emulator, "/v1/me", token)).status).toBe(401)
      expect((yield* recentlyPlayed(emulator, yield* accessToken(emulator))).status).toBe(200)
    }))

  it.scoped("access tokens expire 3600 s after issue, by the Clock", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const token = yield* accessToken(emulator)
      yield* TestClock.adjust("3599 seconds")
      expect((yield* recentlyPlayed(emulator, token)).status).toBe(200)
      yield* TestClock.adjust("1 second")
      const expired = yield* recentlyPlayed(emulator, token)
      expect((yield* decodeBody(ApiError)(expired)).error.message).toBe("The access token expired")
    }))

  it.scoped("authorization_code with Basic auth: a refresh token, the requested scope, single use", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const code = yield* authorizeCode(emulator)
      const exchange = { grant_type: "authorization_code", code, redirect_uri: redirectUri }
      const body = yield* Effect.flatMap(postToken(emulator, exchange, { Authorization: basic() }), decodeBody(TokenBody))
      expect(body.scope).toBe("user-read-recently-played user-read-private")
      const refreshed = yield* Effect.flatMap(refreshWithBasic(emulator, body.refresh_token ?? ""), decodeBody(TokenBody))
      expect((yield* recentlyPlayed(emulator, refreshed.access_token)).status).toBe(200)
      expect(yield* oauthError(yield* postToken(emulator, exchange, { Authorization: basic() })))
        .toEqual({ status: 400, error: "invalid_grant", error_description: "Invalid authorization code" })
    }))

  it.scoped("authorization_code needs the same redirect_uri", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const code = yield* authorizeCode(emulator)
      const response = yield* postToken(
        emulator,
        { grant_type: "authorization_code", code, redirect_uri: "http://127.0.0.1:9999/other" },
        { Authorization: basic() }
      )
      expect(yield* oauthError(response)).toEqual({ status: 400, error: "invalid_grant", error_description: "Invalid redirect URI" })
    }))

  it.scoped("PKCE: a wrong code_verifier fails, the right one gets tokens", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const { challenge, verifier } = pkcePair()
      const code = yield* authorizeCode(emulator, { code_challenge_method: "S256", code_challenge: challenge })
      const exchange = { grant_type: "authorization_code", code, redirect_uri: redirectUri, client_id: clientId }
      const wrong = yield* postToken(emulator, { ...exchange, code_verifier: pkcePair().verifier })
      expect(yield* oauthError(wrong)).toEqual({ status: 400, error: "invalid_grant", error_description: "code_verifier was incorrect" })
      expect((yield* oauthError(yield* postToken(emulator, exchange))).error).toBe("invalid_grant")
      const right = yield* Effect.flatMap(postToken(emulator, { ...exchange, code_verifier: verifier }), decodeBody(TokenBody))
      expect(right.refresh_token).toBeDefined()
      expect((yield* recentlyPlayed(emulator, right.access_token)).status).toBe(200)
    }))

  it.scoped("a public client cannot exchange a code that was not issued with PKCE", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const code = yield* authorizeCode(emulator)
      const response = yield* postToken(emulator, { grant_type: "authorization_code", code, redirect_uri: redirectUri, client_id: clientId })
      expect((yield* oauthError(response)).status).toBe(400)
    }))

  it.scoped("a token without user-read-recently-played gets 403 there, but /v1/me works", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const code = yield* authorizeCode(emulator, { scope: "user-read-private user-read-email" })
      const body = yield* Effect.flatMap(
        postToken(emulator, { grant_type: "authorization_code", code, redirect_uri: redirectUri }, { Authorization: basic() }),
        decodeBody(TokenBody)
      )
      const forbidden = yield* recentlyPlayed(emulator, body.access_token)
      expect(forbidden.status).toBe(403)
      const me = yield* getWithToken(emulator, "/v1/me", body.access_token)
      expect(me.status).toBe(200)
      expect(me.body).toContain(`"type":"user"`)
      expect(me.body).toContain(`"email":`)
    }))
})

describe("GET /authorize", () => {
  const base = { client_id: clientId, response_type: "code", state: "xyz", scope: "user-read-recently-played" }

  it.scoped("accepts HTTPS and loopback IP literals, refuses localhost and plain-HTTP hosts", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const statusFor = (uri: string) => Effect.map(authorize(emulator, { ...base, redirect_uri: uri }), (r) => r.status)
      expect(yield* statusFor("https://example.com/callback")).toBe(302)
      expect(yield* statusFor("http://127.0.0.1:53682/callback")).toBe(302)
      expect(yield* statusFor("http://[::1]:8080/callback")).toBe(302)
      expect(yield* statusFor("http://localhost:8888/callback")).toBe(400)
      expect(yield* statusFor("http://example.com/callback")).toBe(400)
      expect(yield* statusFor("not a uri")).toBe(400)
    }))

  it.scoped("consent deny redirects with error=access_denied and the state", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      yield* emulator.configure({ consent: "deny" })
      const response = yield* authorize(emulator, { ...base, redirect_uri: redirectUri })
      expect(response.status).toBe(302)
      expect(response.headers.location).toBe(`${redirectUri}?error=access_denied&state=xyz`)
    }))

  it.scoped("refuses an unknown client and a non-S256 challenge method", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      expect((yield* authorize(emulator, { ...base, client_id: "other", redirect_uri: redirectUri })).status).toBe(400)
      const plain = yield* authorize(emulator, {
        ...base,
        redirect_uri: redirectUri,
        code_challenge_method: "plain",
        code_challenge: pkcePair().challenge
      })
      expect(plain.headers.location).toBe(`${redirectUri}?error=invalid_request&state=xyz`)
    }))
})
