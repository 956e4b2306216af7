import * as Clock from "effect/Clock"
import * as Console from "effect/Console"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import type { SpotifyProfile } from "../domain/SpotifyProfile.js"
import type { StoredToken } from "../domain/StoredToken.js"
import { Browser } from "../services/login/Browser.js"
import { defaultCallbackPort, LoopbackCallback } from "../services/login/LoopbackCallback.js"
import { loginScope, SpotifyAccounts } from "../services/spotify/SpotifyAccounts.js"
import { loginCommand } from "../services/spotify/ReconnectHint.js"
import { SpotifyClient } from "../services/spotify/SpotifyClient.js"
import { TokenStore } from "../services/tokens/TokenStore.js"
import { type TokenLife, tokenLife } from "./TokenLifecycle.js"
import { printableLine } from "../domain/Printable.js"

/** The login did not connect an account; `NotAllowed` is the one that comes after the token was stored. */
export class LoginError extends Data.TaggedError("LoginError")<{
  readonly reason: "Denied" | "Refused" | "TimedOut" | "MissingScope" | "NotAllowed" | "ProfileUnavailable"
  readonly message: string
  readonly cause?: unknown
}> {}

export interface LoginOptions {
  /** The loopback port of the redirect URI: `http://127.0.0.1:<port>/callback`. */
  readonly port: number
  /** How long to wait for the browser to come back from Spotify. */
  readonly timeout: Duration.Duration
}

export const defaultLoginOptions: LoginOptions = { port: defaultCallbackPort, timeout: Duration.minutes(5) }

export interface LoginResult {
  readonly account: SpotifyProfile
  readonly token: TokenLife
}

const again = `Nothing was stored; run \`${loginCommand}\` to try again.`

/**
 * Connects an account: Authorization Code with PKCE, the answer taken at the loopback
 * redirect, the refresh token stored with the time of authorisation (so a stale
 * SPOTIFY_REFRESH_TOKEN never replaces it), then `/v1/me` says whose account it is.
 */
export const login = Effect.fn("Login")(function*(options: LoginOptions) {
  const accounts = yield* SpotifyAccounts
  const callback = yield* LoopbackCallback
  const browser = yield* Browser
  const tokens = yield* TokenStore
  const spotify = yield* SpotifyClient

  const { request, response } = yield* Effect.scoped(Effect.gen(function*() {
    const listener = yield* callback.listen(options.port)
    const request = yield* accounts.authorize(listener.redirectUri)
    yield* Console.log(
      `Open this address in a browser, log in to Spotify and agree:\n\n  ${request.url}\n\n` +
        `Spotify then sends the browser to ${listener.redirectUri}, which must be listed as a Redirect URI ` +
        `in your app's settings in Spotify's developer dashboard. Waiting up to ${Duration.format(options.timeout)}.`
    )
    // Waiting for this login's answer before the browser opens: an app approved before sends the
    // browser straight back, and an answer that came before its state was known would be turned away.
    // (The wait's fiber runs, and registers the state, when this one yields.)
    const answer = yield* Effect.forkScoped(listener.redirect(request.state).pipe(
      Effect.timeoutFail({
        duration: options.timeout,
        onTimeout: () =>
          new LoginError({
            reason: "TimedOut",
            message: `No answer from Spotify within ${Duration.format(options.timeout)} (nothing came back to ` +
              `${listener.redirectUri}). ${again} Without a browser on this machine, add --no-browser and paste the address.`
          })
      })
    ))
    yield* Effect.yieldNow()
    yield* browser.open(request.url)
    const response = yield* Fiber.join(answer)
    return { request, response }
  }))

  if ("error" in response) {
    return yield* response.error === "access_denied"
      ? new LoginError({
        reason: "Denied",
        message: `Spotify says access was not granted (access_denied): the sync needs to read your recently played tracks. ${again}`
      })
      : new LoginError({
        reason: "Refused",
        // Text from the redirect, which anyone can craft, printed on one line whatever it holds.
        message: `Spotify refused the login (${printableLine(response.error)}${
          response.error_description === undefined ? "" : `: ${printableLine(response.error_description)}`
        }). ${again}`
      })
  }

  const grant = yield* accounts.exchangeCode(response.code, request)
  if (Option.isSome(grant.scope) && !grant.scope.value.includes(loginScope)) {
    return yield* new LoginError({
      reason: "MissingScope",
      message: `Spotify granted ${grant.scope.value.join(" ") || "no scopes"} but not ${loginScope}, which the sync needs. ${again}`
    })
  }
  const now = yield* Clock.currentTimeMillis
  const token: StoredToken = { refresh_token: grant.refreshToken, authorised_at_ms: now, bootstrap_fingerprint: null }
  yield* tokens.set(token)

  const account = yield* spotify.me.pipe(
    Effect.catchAll((error) =>
      error._tag === "SpotifyClientError" && error.reason === "Forbidden"
        ? new LoginError({
          reason: "NotAllowed",
          message: "The token is stored, but Spotify refuses this account for your app (403). In development mode the " +
            "app's owner needs Premium and every other user must be added under User Management (5 at most). " +
            `Then run \`npm start -- sync\`. (${error.message})`,
          cause: error
        })
        // The login itself is done: only the question of whose account it is went unanswered.
        : new LoginError({
          reason: "ProfileUnavailable",
          message: `The token is stored and \`npm start -- sync\` can use it, but Spotify did not say whose account it is: ${error.message}`,
          cause: error
        })
    )
  )
  return { account, token: tokenLife(token, now) } satisfies LoginResult
})
