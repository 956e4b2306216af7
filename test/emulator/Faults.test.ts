import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Fiber, Option, Scope } from "effect"
import { RecentlyPlayedPage } from "../../src/domain/RecentlyPlayedPage.js"
import * as Emulator from "../../src/emulator/Emulator.js"
import { HttpFailure, parseJson, request } from "./http.js"
import { waitUntil } from "../support/Waiting.js"
import { accessToken, ApiError, decodeBody, OAuthError, recentlyPlayed, recentlyPlayedPath, refreshWithBasic, TokenBody } from "./support.js"

const setup = Effect.gen(function*() {
  const emulator = yield* Emulator.make({ seed: 11 })
  yield* emulator.listen(12)
  const token = yield* accessToken(emulator)
  return { emulator, token, get: (query = "") => recentlyPlayed(emulator, token, query) }
})

const statuses = (emulator: Emulator.Emulator) =>
  Effect.map(emulator.requests, (requests) => requests.filter((r) => r.path === recentlyPlayedPath).map((r) => r.status))

/** Each request to `path` so far: the status answered (null while pending) and the fault it took. */
const answers = (emulator: Emulator.Emulator, path: string) =>
  Effect.map(emulator.requests, (requests) => requests.filter((r) => r.path === path).map((r) => [r.status, r.fault]))

const untilArrived = (emulator: Emulator.Emulator, path: string, count: number) =>
  waitUntil(`${count} request(s) to ${path}`, Effect.map(answers(emulator, path), (seen) => seen.length >= count))

const slowMs = 1_000

describe("faults", () => {
  it.scoped("rate-limit: 429 with Retry-After as sent, a regular error body, then normal service", () =>
    Effect.gen(function*() {
      const { emulator, get } = yield* setup
      yield* emulator.fault({ endpoint: "recently-played", kind: "rate-limit", retryAfterSeconds: 7 })
      const limited = yield* get()
      expect(limited.status).toBe(429)
      expect(limited.rawHeaderNames).toContain("Retry-After")
      expect(limited.headers["retry-after"]).toBe("7")
      expect(yield* decodeBody(ApiError)(limited)).toEqual({ error: { status: 429, message: "API rate limit exceeded" } })
      expect((yield* get()).status).toBe(200)
    }))

  it.scoped("rate-limit: a lowercase retry-after header and an empty body", () =>
    Effect.gen(function*() {
      const { emulator, get } = yield* setup
      yield* emulator.fault({
        endpoint: "recently-played",
        kind: "rate-limit",
        retryAfterSeconds: 86_400,
        lowercaseHeader: true,
        emptyBody: true
      })
      const limited = yield* get()
      expect(limited.status).toBe(429)
      expect(limited.rawHeaderNames).toContain("retry-after")
      expect(limited.rawHeaderNames).not.toContain("Retry-After")
      expect(limited.headers["retry-after"]).toBe("86400")
      expect(limited.body).toBe("")
      expect(limited.headers["content-length"]).toBe("0")
    }))

  it.scoped("times: a fault answers that many matching requests", () =>
    Effect.gen(function*() {
      const { emulator, get } = yield* setup
      yield* emulator.fault({ endpoint: "recently-played", kind: "rate-limit", retryAfterSeconds: 1, times: 3 })
      for (let i = 0; i < 4; i++) yield* get()
      expect(yield* statuses(emulator)).toEqual([429, 429, 429, 200])
    }))

  it.scoped("faults are used in queue order, each only by its own endpoint", () =>
    Effect.gen(function*() {
      const { emulator, get } = yield* setup
      yield* emulator.fault({ endpoint: "token", kind: "server-error", status: 503, body: "empty" })
      yield* emulator.fault({ endpoint: "recently-played", kind: "rate-limit", retryAfterSeconds: 2 })
      yield* emulator.fault({ endpoint: "recently-played", kind: "server-error", status: 502, body: "json" })
      yield* get()
      yield* get()
      yield* get()
      expect(yield* statuses(emulator)).toEqual([429, 502, 200])
      const token = yield* refreshWithBasic(emulator)
      expect(token.status).toBe(503)
      expect(token.body).toBe("")
      expect((yield* refreshWithBasic(emulator)).status).toBe(200)
      const log = yield* emulator.requests
      expect(log.map((r) => r.fault)).toEqual([null, "rate-limit", "server-error", null, "server-error", null])
    }))

  it.scoped("server-error: each status with an HTML, empty or JSON body", () =>
    Effect.gen(function*() {
      const { emulator, get } = yield* setup
      for (const status of [500, 502, 503, 504] as const) {
        yield* emulator.fault({ endpoint: "recently-played", kind: "server-error", status, body: "html" })
        const html = yield* get()
        expect(html.status).toBe(status)
        expect(html.headers["content-type"]).toContain("text/html")
        expect(html.body).toContain(`<h1>${status} `)
        yield* emulator.fault({ endpoint: "recently-played", kind: "server-error", status, body: "empty" })
        const empty = yield* get()
        expect([empty.status, empty.body]).toEqual([status, ""])
        yield* emulator.fault({ endpoint: "recently-played", kind: "server-error", status, body: "json" })
        const json = yield* get()
        expect((yield* decodeBody(ApiError)(json)).error.status).toBe(status)
      }
      yield* emulator.fault({ endpoint: "recently-played", kind: "server-error", status: 502, body: "json" })
      expect((yield* get()).body).toBe(`{"error":{"status":502,"message":"Bad gateway."}}`)
      yield* emulator.fault({ endpoint: "token", kind: "server-error", status: 500, body: "json" })
      const tokenError = yield* refreshWithBasic(emulator)
      expect(tokenError.status).toBe(500)
      expect((yield* decodeBody(OAuthError)(tokenError)).error).toBe("server_error")
    }))

  it.scoped("hang: no answer, so the client must time out; the next request is served", () =>
    Effect.gen(function*() {
      const { emulator, token } = yield* setup
      yield* emulator.fault({ endpoint: "recently-played", kind: "hang" })
      const hung = yield* Effect.flip(request(`${emulator.url}${recentlyPlayedPath}`, {
        headers: { Authorization: `Bearer ${token}` },
        timeoutMs: 300
      }))
      expect(hung).toEqual(new HttpFailure({ reason: "timeout", message: "no answer within 300 ms" }))
      expect((yield* recentlyPlayed(emulator, token)).status).toBe(200)
      expect(yield* statuses(emulator)).toEqual([null, 200])
    }))

  it.scoped("hang on the token endpoint", () =>
    Effect.gen(function*() {
      const { emulator } = yield* setup
      yield* emulator.fault({ endpoint: "token", kind: "hang" })
      const hung = yield* Effect.flip(request(`${emulator.url}/api/token`, { method: "POST", timeoutMs: 200 }))
      expect(hung.reason).toBe("timeout")
      expect((yield* refreshWithBasic(emulator)).status).toBe(200)
    }))

  it.scopedLive("hang: closing the emulator's scope cuts the hanging request", () =>
    Effect.gen(function*() {
      const scope = yield* Scope.make()
      const emulator = yield* Scope.extend(Emulator.make(), scope)
      yield* emulator.fault({ endpoint: "recently-played", kind: "hang" })
      const pending = yield* Effect.fork(request(`${emulator.url}${recentlyPlayedPath}`))
      yield* untilArrived(emulator, recentlyPlayedPath, 1)
      yield* Scope.close(scope, Exit.void)
      const outcome = yield* Fiber.join(pending).pipe(Effect.flip, Effect.timeout("5 seconds"))
      expect(outcome.reason).toBe("transport")
    }))

  // A slow answer is proven late by order, not by the clock: a request sent after it is answered
  // while it is still pending (the delay is far above any loopback round trip).
  it.scopedLive("slow: a request sent after it is answered first; then it answers normally", () =>
    Effect.gen(function*() {
      const { emulator, get } = yield* setup
      yield* emulator.fault({ endpoint: "recently-played", kind: "slow", delayMs: slowMs })
      const slow = yield* Effect.fork(get())
      yield* untilArrived(emulator, recentlyPlayedPath, 1)
      expect((yield* get()).status).toBe(200)
      expect(yield* answers(emulator, recentlyPlayedPath)).toEqual([[null, "slow"], [200, null]])
      expect(Option.isNone(yield* Fiber.poll(slow))).toBe(true)
      expect((yield* decodeBody(RecentlyPlayedPage)(yield* Fiber.join(slow))).items).toHaveLength(12)
      expect(yield* answers(emulator, recentlyPlayedPath)).toEqual([[200, "slow"], [200, null]])
    }))

  it.scopedLive("slow on the token endpoint: a refresh sent after it is answered first; then it answers normally", () =>
    Effect.gen(function*() {
      const { emulator } = yield* setup
      yield* emulator.fault({ endpoint: "token", kind: "slow", delayMs: slowMs })
      const slow = yield* Effect.fork(refreshWithBasic(emulator))
      yield* untilArrived(emulator, "/api/token", 2)
      expect((yield* refreshWithBasic(emulator)).status).toBe(200)
      expect(yield* answers(emulator, "/api/token")).toEqual([[200, null], [null, "slow"], [200, null]])
      expect(Option.isNone(yield* Fiber.poll(slow))).toBe(true)
      expect((yield* decodeBody(TokenBody)(yield* Fiber.join(slow))).token_type).toBe("Bearer")
      expect(yield* answers(emulator, "/api/token")).toEqual([[200, null], [200, "slow"], [200, null]])
    }))

  it.scoped("html-200: a 200 whose body is an HTML page, which no page schema accepts", () =>
    Effect.gen(function*() {
      const { emulator, get } = yield* setup
      yield* emulator.fault({ endpoint: "recently-played", kind: "html-200" })
      const response = yield* get()
      expect(response.status).toBe(200)
      expect(response.headers["content-type"]).toContain("text/html")
      expect(response.body.startsWith("<!DOCTYPE html>")).toBe(true)
      expect(Exit.isFailure(yield* Effect.exit(decodeBody(RecentlyPlayedPage)(response)))).toBe(true)
    }))

  it.scoped("truncated: a 200 carrying the first half of the real page", () =>
    Effect.gen(function*() {
      const { emulator, get } = yield* setup
      yield* emulator.fault({ endpoint: "recently-played", kind: "truncated" })
      const cut = yield* get("?limit=10")
      const whole = yield* get("?limit=10")
      expect(cut.status).toBe(200)
      expect(cut.body).toBe(whole.body.slice(0, Math.floor(whole.body.length / 2)))
      expect(cut.headers["content-length"]).toBe(String(Buffer.byteLength(cut.body)))
      expect(() => parseJson(cut)).toThrow()
      expect(parseJson(whole)).toBeDefined()
    }))

  it.scoped("the request log never holds tokens, codes or secrets", () =>
    Effect.gen(function*() {
      const { emulator, token } = yield* setup
      yield* request(`${emulator.url}${recentlyPlayedPath}?access_token=${token}&limit=3`)
      const log = JSON.stringify(yield* emulator.requests)
      expect(log).not.toContain(token)
      expect(log).not.toContain("emulator-refresh-token")
      expect(log).not.toContain("emulator-secret")
      expect(log).toContain(`"limit":"3"`)
      expect(log).toContain(`"grantType":"refresh_token"`)
    }))
})
