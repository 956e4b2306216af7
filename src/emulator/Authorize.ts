import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"
import * as Accounts from "./Accounts.js"
import * as Reply from "./Reply.js"
import type { Switches } from "./Switches.js"

export const path = "/authorize"

export interface AuthorizeDeps {
  readonly clientId: string
  readonly accounts: Ref.Ref<Accounts.Accounts>
  readonly switches: Ref.Ref<Switches>
}

const loopbackHosts = new Set(["127.0.0.1", "[::1]"])

/** HTTPS, or plain HTTP to a loopback IP literal; `localhost` is refused since 2025-11-27. */
export const redirectUriAllowed = (value: string): boolean => {
  if (!URL.canParse(value)) return false
  const url = new URL(value)
  return url.hash === "" && (url.protocol === "https:" || (url.protocol === "http:" && loopbackHosts.has(url.hostname)))
}

const rejected = (message: string) => Reply.html(400, Reply.htmlPage("Error", message))

const withParams = (redirectUri: string, params: ReadonlyArray<readonly [string, string | null]>): string => {
  const url = new URL(redirectUri)
  for (const [key, value] of params) if (value !== null) url.searchParams.set(key, value)
  return url.toString()
}

const challengeShape = /^[A-Za-z0-9_-]{43,128}$/

const escaped = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)

/** What a person sees in a browser: the consent screen, answered with one click. */
const consentPage = (query: URLSearchParams): Reply.Reply => {
  const answer = (consent: string) => {
    const params = new URLSearchParams(query)
    params.set("consent", consent)
    return escaped(`${path}?${params.toString()}`)
  }
  return Reply.html(
    200,
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Spotify emulator: connect</title></head>` +
      `<body><h1>Connect to the Spotify emulator</h1>` +
      `<p>The app asks to read your recently played tracks (${escaped(query.get("scope") ?? "no scope")}).</p>` +
      `<p><a href="${answer("approve")}">Agree</a> &nbsp; <a href="${answer("deny")}">Cancel</a></p></body></html>\n`
  )
}

/**
 * GET /authorize: the user is already logged in. A browser (it accepts text/html) gets a consent
 * page with one link to agree and one to cancel; any other client, and the links, are answered at
 * once: by the `consent` parameter when the page set it, else by the switch.
 */
export const handle = (query: URLSearchParams, deps: AuthorizeDeps, accept = ""): Effect.Effect<Reply.Reply> =>
  Effect.gen(function*() {
    if (query.get("client_id") !== deps.clientId) return rejected("INVALID_CLIENT: Invalid client")
    const redirectUri = query.get("redirect_uri")
    if (redirectUri === null || !redirectUriAllowed(redirectUri)) return rejected("INVALID_CLIENT: Invalid redirect URI")
    const state = query.get("state")
    const fail = (error: string) => Reply.redirect(withParams(redirectUri, [["error", error], ["state", state]]))
    if (query.get("response_type") !== "code") return fail("unsupported_response_type")
    const method = query.get("code_challenge_method")
    const challenge = query.get("code_challenge")
    if (method !== null || challenge !== null) {
      if (method !== "S256" || challenge === null || !challengeShape.test(challenge)) return fail("invalid_request")
    }
    const chosen = query.get("consent")
    if (chosen === null && accept.includes("text/html")) return consentPage(query)
    const consent = chosen ?? (yield* Ref.get(deps.switches)).consent
    if (consent !== "approve") return fail("access_denied")
    const code = yield* Effect.sync(() => Accounts.newSecret("AQ"))
    yield* Ref.update(deps.accounts, (accounts) =>
      Accounts.addCode(accounts, code, { redirectUri, scope: query.get("scope") ?? "", codeChallenge: challenge }))
    return Reply.redirect(withParams(redirectUri, [["code", code], ["state", state]]))
  })
