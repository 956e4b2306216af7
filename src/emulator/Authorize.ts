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

/** GET /authorize: the user is already logged in, so consent is answered at once by the switch. */
export const handle = (query: URLSearchParams, deps: AuthorizeDeps): Effect.Effect<Reply.Reply> =>
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
    const { consent } = yield* Ref.get(deps.switches)
    if (consent === "deny") return fail("access_denied")
    const code = yield* Effect.sync(() => Accounts.newSecret("AQ"))
    yield* Ref.update(deps.accounts, (accounts) =>
      Accounts.addCode(accounts, code, { redirectUri, scope: query.get("scope") ?? "", codeChallenge: challenge }))
    return Reply.redirect(withParams(redirectUri, [["code", code], ["state", state]]))
  })
