import { NodeHttpClient } from "@effect/platform-node"
import { layerSpotify } from "../../src/entrypoints/AppLayer.js"
import { SpotifyHttp } from "../../src/services/spotify/SpotifyHttp.js"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Context, Duration, Effect, Exit, Fiber, Layer, Option, Redacted, TestClock } from "effect"
import { connect, type Socket } from "node:net"
import { PassThrough } from "node:stream"
import * as Emulator from "../../src/emulator/Emulator.js"
import { defaultLoginOptions, login } from "../../src/programs/Login.js"
import { LoopbackCallback } from "../../src/services/login/LoopbackCallback.js"
import { SpotifyAccounts } from "../../src/services/spotify/SpotifyAccounts.js"
import { SpotifyAuth } from "../../src/services/spotify/SpotifyAuth.js"
import { SpotifyClient, type SpotifyClientShape } from "../../src/services/spotify/SpotifyClient.js"
import { SpotifyClientError } from "../../src/services/spotify/SpotifyClient.js"
import { SpotifyConfig } from "../../src/services/spotify/SpotifyConfig.js"
import { TokenStore } from "../../src/services/tokens/TokenStore.js"
import { request } from "../emulator/http.js"
import { capturingConsole } from "../support/CapturedConsole.js"
import { failureOf } from "../support/FailureOf.js"
import { loopbackEndpoint, loopbackServer } from "../support/LoopbackServer.js"
import { BrowserVisits, follow, followWithState, forgedThenReal, type Landing, layerPlayingBrowser } from "../support/PlayingBrowser.js"
import { requestsTo } from "../support/SpotifyOverEmulator.js"
import { driveUntilDone, untilSleeping } from "../support/TestClockDriver.js"
import { turnEventLoop, waitUntil } from "../support/Waiting.js"
import * as MemoryTokenStore from "../../src/services/tokens/MemoryTokenStore.js"
import * as PastedCallback from "../../src/services/login/PastedCallback.js"
import * as ServerCallback from "../../src/services/login/ServerCallback.js"

interface WorldSettings {
  /** `null`: a PKCE-only app without a secret. */
  readonly clientSecret?: string | null
  readonly refreshToken?: string
  readonly landing?: Landing | null
  readonly callback?: Layer.Layer<LoopbackCallback>
  /** What /v1/me answers instead of the emulator's profile. */
  readonly me?: SpotifyClientShape["me"]
}

/** Login's ports over real HTTP: the emulator's accounts service and Web API, a real loopback server, a memory token store. */
const loginWorld = (emulator: Emulator.Emulator, settings: WorldSettings = {}) => {
  const env = new Map([
    ["SPOTIFY_CLIENT_ID", "emulator-client"],
    ["SPOTIFY_API_URL", emulator.url],
    ["SPOTIFY_ACCOUNTS_URL", emulator.url]
  ])
  const secret = settings.clientSecret === undefined ? "emulator-secret" : settings.clientSecret
  if (secret !== null) env.set("SPOTIFY_CLIENT_SECRET", secret)
  if (settings.refreshToken !== undefined) env.set("SPOTIFY_REFRESH_TOKEN", settings.refreshToken)
  return Layer.mergeAll(
    SpotifyAccounts.layer.pipe(Layer.provide(SpotifyHttp.layer)),
    settings.me === undefined
      ? layerSpotify
      : Layer.merge(
        Layer.succeed(SpotifyClient, { recentlyPlayed: () => Effect.dieMessage("not in this test"), me: settings.me }),
        SpotifyAuth.layer.pipe(Layer.provide(SpotifyHttp.layer))
      ),
    settings.callback ?? ServerCallback.layer,
    layerPlayingBrowser(settings.landing === undefined ? undefined : settings.landing)
  ).pipe(
    Layer.provideMerge(Layer.merge(SpotifyConfig.layer, MemoryTokenStore.layer)),
    Layer.provide(NodeHttpClient.layer),
    Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(env)))
  )
}

const ephemeral = { ...defaultLoginOptions, port: 0 }

const stored = Effect.flatMap(TokenStore, (store) => store.get)

const tokenExchanges = (emulator: Emulator.Emulator) =>
  Effect.map(requestsTo(emulator, "/api/token"), (all) => all.filter((r) => r.grantType === "authorization_code"))

describe("login against the emulator over HTTP, the test playing the browser", () => {
  it.scoped("a confidential app: PKCE S256 + state to /authorize, the redirect to the loopback callback, the token stored, whose account", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.UTC(2026, 7, 1, 9))
      const emulator = yield* Emulator.make()
      yield* emulator.listen(4)
      const ctx = yield* Layer.build(loginWorld(emulator))
      const { exit, printed } = yield* capturingConsole(login(ephemeral).pipe(Effect.provide(ctx)))
      const result = yield* exit

      expect(result.account).toEqual({ id: "emulated.listener", display_name: "Emulated Listener" })
      expect(result.token.expires_at).toBe("2027-02-01T09:00:00.000Z")
      const [visit, ...more] = yield* Context.get(ctx, BrowserVisits).visits
      expect(more).toEqual([])
      const query = visit!.opened.searchParams
      expect(`${visit!.opened.origin}${visit!.opened.pathname}`).toBe(`${emulator.url}/authorize`)
      expect(query.get("response_type")).toBe("code")
      expect(query.get("scope")).toBe("user-read-recently-played")
      expect(query.get("code_challenge_method")).toBe("S256")
      expect(query.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/)
      expect(query.get("state")).toMatch(/^[A-Za-z0-9_-]{16,}$/)
      expect(query.get("redirect_uri")).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/)
      expect(printed).toContain(visit!.opened.toString())
      expect(printed).toContain(query.get("redirect_uri"))
      const landed = Option.getOrThrow(visit!.landed)
      expect(landed.status).toBe(200)
      expect(landed.body).toContain("close this tab")
      expect(landed.body).not.toContain(Option.getOrThrow(visit!.sentTo).searchParams.get("code"))

      const token = Option.getOrThrow(yield* stored.pipe(Effect.provide(ctx)))
      expect(Redacted.value(token.refresh_token)).toMatch(/^AQ/)
      expect(token.authorised_at_ms).toBe(Date.UTC(2026, 7, 1, 9))
      expect(token.bootstrap_fingerprint).toBeNull()
      const page = yield* Context.get(ctx, SpotifyClient).recentlyPlayed(50)
      expect(page.page.items).toHaveLength(4)
      expect(yield* tokenExchanges(emulator)).toHaveLength(1)
    }))

  it.scoped("a PKCE-only app (no secret) exchanges with client_id + code_verifier, and its token wins over a stale SPOTIFY_REFRESH_TOKEN", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const ctx = yield* Layer.build(loginWorld(emulator, { clientSecret: null, refreshToken: "stale-env-token" }))
      const { exit } = yield* capturingConsole(login(ephemeral).pipe(Effect.provide(ctx)))
      expect((yield* exit).account.id).toBe("emulated.listener")
      // The emulator refuses a public client's exchange without the right verifier, and "stale-env-token" is unknown to it.
      const token = Option.getOrThrow(yield* stored.pipe(Effect.provide(ctx)))
      expect(Redacted.value(token.refresh_token)).not.toBe("stale-env-token")
      yield* Context.get(ctx, SpotifyAuth).invalidate
      expect((yield* Context.get(ctx, SpotifyClient).me).id).toBe("emulated.listener")
    }))

  it.scoped("a forged answer (another state) sent before the real one is turned away, and the login goes on with the real one", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const ctx = yield* Layer.build(loginWorld(emulator, { landing: forgedThenReal("forged-state") }))
      const { exit } = yield* capturingConsole(login(ephemeral).pipe(Effect.provide(ctx)))
      expect(Exit.isSuccess(exit)).toBe(true)
      const [visit] = yield* Context.get(ctx, BrowserVisits).visits
      const landed = Option.getOrThrow(visit!.landed)
      expect(landed.status).toBe(200)
      expect("forged" in landed && landed.forged).toMatchObject({ status: 400, body: expect.stringContaining("Not this login's answer") })
      expect(Option.isSome(yield* stored.pipe(Effect.provide(ctx)))).toBe(true)
      expect(yield* tokenExchanges(emulator)).toHaveLength(1)
    }))

  it.scoped("only forged answers: none is exchanged, the login times out, and nothing is stored", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const ctx = yield* Layer.build(loginWorld(emulator, { landing: followWithState("forged-state") }))
      const fiber = yield* Effect.fork(capturingConsole(login(ephemeral).pipe(Effect.provide(ctx))))
      // Only once the forged answer has been answered may the clock run out the login's wait.
      yield* waitUntil("the browser to bring the forged answer", Effect.map(Context.get(ctx, BrowserVisits).visits, (visits) => visits.length === 1))
      const { exit } = yield* driveUntilDone(fiber)
      expect(failureOf(exit)).toMatchObject({ _tag: "LoginError", reason: "TimedOut" })
      expect(yield* stored.pipe(Effect.provide(ctx))).toEqual(Option.none())
      expect(yield* tokenExchanges(emulator)).toEqual([])
    }))

  it.scoped("a request still open at the callback when the wait runs out does not hold the login up", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const ctx = yield* Layer.build(loginWorld(emulator, { landing: null }))
      const visits = Context.get(ctx, BrowserVisits).visits
      const fiber = yield* Effect.fork(capturingConsole(login(ephemeral).pipe(Effect.provide(ctx))))
      yield* waitUntil("the login to open the browser", Effect.map(visits, (all) => all.length === 1))
      const [visit] = yield* visits
      const callback = new URL(visit!.opened.searchParams.get("redirect_uri") ?? "")
      // A page that never ends its request: its connection stays open, waiting for the rest.
      const socket = yield* Effect.acquireRelease(
        Effect.async<Socket>((resume) => {
          const opened = connect(Number(callback.port), "127.0.0.1", () => resume(Effect.succeed(opened)))
        }),
        (opened) => Effect.sync(() => opened.destroy())
      )
      const closed = Effect.async<void>((resume) => void socket.once("close", () => resume(Effect.void)))
      socket.write("GET /callback?state=never HTTP/1.1\r\nHost: 127.0.0.1\r\n")
      yield* Effect.repeatN(turnEventLoop, 20)

      const { exit } = yield* driveUntilDone(fiber)
      expect(failureOf(exit)).toMatchObject({ _tag: "LoginError", reason: "TimedOut" })
      yield* closed
      expect(yield* stored.pipe(Effect.provide(ctx))).toEqual(Option.none())
    }))

  it.scoped("a denied consent (error=access_denied) is a clear Denied error and nothing is stored", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      yield* emulator.configure({ consent: "deny" })
      const ctx = yield* Layer.build(loginWorld(emulator))
      const { exit } = yield* capturingConsole(login(ephemeral).pipe(Effect.provide(ctx)))
      const error = failureOf(exit)
      expect(error).toMatchObject({ _tag: "LoginError", reason: "Denied" })
      expect(error?.message).toContain("access_denied")
      expect(error?.message).toContain("Nothing was stored")
      const [visit] = yield* Context.get(ctx, BrowserVisits).visits
      expect(Option.getOrThrow(visit!.landed).status).toBe(200)
      expect(yield* stored.pipe(Effect.provide(ctx))).toEqual(Option.none())
      expect(yield* tokenExchanges(emulator)).toEqual([])
    }))

  it.scoped("no answer within the timeout (judged by the clock) is a clear TimedOut error; the callback server is closed", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const ctx = yield* Layer.build(loginWorld(emulator, { landing: null }))
      const fiber = yield* Effect.fork(capturingConsole(login(ephemeral).pipe(Effect.provide(ctx))))
      yield* untilSleeping(fiber)
      yield* TestClock.adjust(Duration.subtract(defaultLoginOptions.timeout, Duration.millis(1)))
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust(Duration.millis(1))
      const { exit } = yield* Fiber.join(fiber)
      const error = failureOf(exit)
      expect(error).toMatchObject({ _tag: "LoginError", reason: "TimedOut" })
      expect(error?.message).toContain("5m")
      expect(error?.message).toContain("--no-browser")
      expect(yield* stored.pipe(Effect.provide(ctx))).toEqual(Option.none())
      const [visit] = yield* Context.get(ctx, BrowserVisits).visits
      const redirectUri = visit!.opened.searchParams.get("redirect_uri")!
      const late = yield* Effect.either(request(`${redirectUri}?code=late&state=${visit!.opened.searchParams.get("state")}`))
      expect(late._tag).toBe("Left")
    }))

  it.scoped("wrong client credentials: an InvalidClient error naming the settings, without the secret; nothing stored", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const ctx = yield* Layer.build(loginWorld(emulator, { clientSecret: "not-the-secret" }))
      const { exit } = yield* capturingConsole(login(ephemeral).pipe(Effect.provide(ctx)))
      const error = failureOf(exit)
      expect(error).toMatchObject({ _tag: "SpotifyAccountsError", reason: "InvalidClient" })
      expect(error?.message).toContain("SPOTIFY_CLIENT_SECRET")
      expect(error?.message).not.toContain("not-the-secret")
      expect(yield* stored.pipe(Effect.provide(ctx))).toEqual(Option.none())
    }))

  it.scoped("a code exchange answered with an empty refresh token is a BadResponse error; nothing stored", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      yield* emulator.fault({ endpoint: "token", kind: "blank-refresh-token", value: "" })
      const ctx = yield* Layer.build(loginWorld(emulator))
      const { exit } = yield* capturingConsole(login(ephemeral).pipe(Effect.provide(ctx)))
      const error = failureOf(exit)
      expect(error).toMatchObject({ _tag: "SpotifyAccountsError", reason: "BadResponse" })
      expect(error?.message).toContain("without a refresh token")
      expect(yield* stored.pipe(Effect.provide(ctx))).toEqual(Option.none())
    }))

  it.scoped("an account the app does not allow (403 from /v1/me) is NotAllowed, explaining Premium and the 5-user list", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const forbidden = new SpotifyClientError({ reason: "Forbidden", message: "Spotify answered 403 to /v1/me: \"Check settings\"" })
      const ctx = yield* Layer.build(loginWorld(emulator, { me: Effect.fail(forbidden) }))
      const { exit } = yield* capturingConsole(login(ephemeral).pipe(Effect.provide(ctx)))
      const error = failureOf(exit)
      expect(error).toMatchObject({ _tag: "LoginError", reason: "NotAllowed" })
      expect(error?.message).toContain("Premium")
      expect(error?.message).toContain("User Management")
    }))

  it.scoped("/v1/me failing otherwise (a 503) says the token is stored and sync can use it", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const unavailable = new SpotifyClientError({ reason: "Unavailable", message: "Spotify answered 503 to /v1/me" })
      const ctx = yield* Layer.build(loginWorld(emulator, { me: Effect.fail(unavailable) }))
      const { exit } = yield* capturingConsole(login(ephemeral).pipe(Effect.provide(ctx)))
      const error = failureOf(exit)
      expect(error).toMatchObject({ _tag: "LoginError", reason: "ProfileUnavailable" })
      expect(error?.message).toBe(
        "The token is stored and `npm start -- sync` can use it, but Spotify did not say whose account it is: Spotify answered 503 to /v1/me"
      )
      expect(Option.isSome(yield* stored.pipe(Effect.provide(ctx)))).toBe(true)
    }))

  it.scoped("a refusal's own words reach the terminal with their control characters escaped", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      // Anyone can send the loopback callback an answer; with the right state, its words are printed.
      const refused: Landing = (sentTo) => {
        const answer = new URL(sentTo)
        answer.searchParams.delete("code")
        answer.searchParams.set("error", "server_error")
        answer.searchParams.set("error_description", "\u001b[2Jgone\nnow")
        return follow(answer)
      }
      const ctx = yield* Layer.build(loginWorld(emulator, { landing: refused }))
      const { exit } = yield* capturingConsole(login(ephemeral).pipe(Effect.provide(ctx)))
      const error = failureOf(exit)
      expect(error).toMatchObject({ _tag: "LoginError", reason: "Refused" })
      expect(error?.message).toContain("(server_error: \\u001b[2Jgone\\nnow)")
      expect(error?.message).not.toMatch(/[\u0000-\u001f]/)
    }))

  it.scoped("a port in use is a PortInUse error that says what to do", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const port = Number(new URL(loopbackEndpoint(yield* loopbackServer())).port)
      const ctx = yield* Layer.build(loginWorld(emulator))
      const { exit } = yield* capturingConsole(login({ ...defaultLoginOptions, port }).pipe(Effect.provide(ctx)))
      const error = failureOf(exit)
      expect(error).toMatchObject({ _tag: "LoopbackCallbackError", reason: "PortInUse" })
      expect(error?.message).toContain(`Port ${port} on 127.0.0.1 is in use by another program`)
      // The suggestion names another port, both in the option and in the redirect URI to list.
      const suggested = Number(/`--port (\d+)`/.exec(error?.message ?? "")?.[1])
      expect(suggested).toBeGreaterThan(0)
      expect(suggested).not.toBe(port)
      expect(error?.message).toContain(`http://127.0.0.1:${suggested}/callback`)
      expect(error?.message).not.toContain(`http://127.0.0.1:${port}/callback`)
    }))
})

describe("login --no-browser: the user pastes the address the browser was sent to", () => {
  const pasteWorld = (emulator: Emulator.Emulator, input: PassThrough, output: PassThrough) =>
    loginWorld(emulator, {
      callback: PastedCallback.layer(input, output),
      // The user opens the address on another machine, where the redirect does not load, and copies it.
      landing: (sentTo) =>
        Effect.sync(() => {
          input.write("not an address\n\n")
          const stale = new URL(sentTo)
          stale.searchParams.set("state", "from-an-older-login")
          input.write(`${stale.toString()}\n`)
          input.write(`  ${sentTo.toString()}  \n`)
          return Option.none()
        })
    })

  it.scoped("prompts, asks again after junk and after an address from another login, and connects with the right one", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const input = new PassThrough()
      const output = new PassThrough()
      const ctx = yield* Layer.build(pasteWorld(emulator, input, output))
      const { exit } = yield* capturingConsole(login({ ...defaultLoginOptions, port: 8888 }).pipe(Effect.provide(ctx)))
      expect((yield* exit).account.display_name).toBe("Emulated Listener")
      const [visit] = yield* Context.get(ctx, BrowserVisits).visits
      expect(visit!.opened.searchParams.get("redirect_uri")).toBe("http://127.0.0.1:8888/callback")
      const prompts = String(output.read())
      expect(prompts).toContain("Paste that whole address")
      expect(prompts).toContain("holds neither a code nor an error")
      expect(prompts).toContain("belongs to another login (its state differs)")
      expect(yield* tokenExchanges(emulator)).toHaveLength(1)
      expect(Option.isSome(yield* stored.pipe(Effect.provide(ctx)))).toBe(true)
    }))

  it.scoped("input that ends before an address is pasted is a clear error, nothing stored", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const input = new PassThrough()
      const ctx = yield* Layer.build(loginWorld(emulator, {
        callback: PastedCallback.layer(input, new PassThrough()),
        landing: () => Effect.sync(() => void input.end()).pipe(Effect.as(Option.none()))
      }))
      const { exit } = yield* capturingConsole(login(ephemeral).pipe(Effect.provide(ctx)))
      expect(failureOf(exit)).toMatchObject({ _tag: "LoopbackCallbackError", reason: "Closed" })
      expect(yield* stored.pipe(Effect.provide(ctx))).toEqual(Option.none())
    }))
})
