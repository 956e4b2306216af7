import { createHash } from "node:crypto"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"
import * as Accounts from "./Accounts.js"
import * as Reply from "./Reply.js"
import type { Switches } from "./Switches.js"

export const path = "/api/token"

export interface TokenRequest {
  readonly authorization: string | undefined
  readonly contentType: string | undefined
  readonly body: string
}

export interface TokenDeps {
  readonly clientId: string
  readonly clientSecret: string
  readonly accounts: Ref.Ref<Accounts.Accounts>
  readonly switches: Ref.Ref<Switches>
}

type Client = "confidential" | "public" | Reply.Reply

const invalidClient = (description: string) => Reply.oauthError(400, "invalid_client", description)

const authenticateClient = (authorization: string | undefined, form: URLSearchParams, deps: TokenDeps): Client => {
  if (authorization !== undefined) {
    const encoded = /^Basic\s+(\S+)\s*$/i.exec(authorization)?.[1]
    const decoded = encoded === undefined ? "" : Buffer.from(encoded, "base64").toString("utf8")
    const colon = decoded.indexOf(":")
    if (colon < 0 || decoded.slice(0, colon) !== deps.clientId) return invalidClient("Invalid client")
    return decoded.slice(colon + 1) === deps.clientSecret ? "confidential" : invalidClient("Invalid client secret")
  }
  if (form.get("client_id") !== deps.clientId) return invalidClient("Invalid client")
  const secret = form.get("client_secret")
  if (secret === null) return "public"
  return secret === deps.clientSecret ? "confidential" : invalidClient("Invalid client secret")
}

const s256 = (verifier: string): string => createHash("sha256").update(verifier).digest("base64url")

const granted = (accessToken: string, scope: string, refreshToken: string | null): Reply.Reply =>
  Reply.json(200, {
    access_token: accessToken,
    token_type: "Bearer",
    scope,
    expires_in: Accounts.expiresInSeconds,
    ...(refreshToken === null ? {} : { refresh_token: refreshToken })
  })

interface Fresh {
  readonly accessToken: string
  readonly refreshToken: string
  readonly nowMs: number
}

const refresh = (
  form: URLSearchParams,
  state: Accounts.Accounts,
  switches: Switches,
  fresh: Fresh
): readonly [Reply.Reply, Accounts.Accounts] => {
  const token = form.get("refresh_token")
  if (token === null) return [Reply.oauthError(400, "invalid_request", "refresh_token must be supplied"), state]
  if (switches.refreshTokenRevoked) return [Reply.oauthError(400, "invalid_grant", "Refresh token revoked"), state]
  const scope = state.refreshTokens.get(token)
  if (scope === undefined) return [Reply.oauthError(400, "invalid_grant", "Invalid refresh token"), state]
  const issued = Accounts.issueAccess(state, fresh.accessToken, scope, fresh.nowMs)
  return switches.refreshReturnsNewToken
    ? [
      granted(fresh.accessToken, scope, fresh.refreshToken),
      Accounts.addRefreshToken(Accounts.dropRefreshToken(issued, token), fresh.refreshToken, scope)
    ]
    : [granted(fresh.accessToken, scope, null), issued]
}

const exchange = (
  form: URLSearchParams,
  client: "confidential" | "public",
  state: Accounts.Accounts,
  fresh: Fresh
): readonly [Reply.Reply, Accounts.Accounts] => {
  const codeValue = form.get("code")
  const code = codeValue === null ? undefined : state.codes.get(codeValue)
  if (codeValue === null || code === undefined) return [Reply.oauthError(400, "invalid_grant", "Invalid authorization code"), state]
  if (form.get("redirect_uri") !== code.redirectUri) return [Reply.oauthError(400, "invalid_grant", "Invalid redirect URI"), state]
  const verifier = form.get("code_verifier")
  if (code.codeChallenge !== null) {
    if (verifier === null || s256(verifier) !== code.codeChallenge) {
      return [Reply.oauthError(400, "invalid_grant", "code_verifier was incorrect"), state]
    }
  } else if (client === "public") {
    return [Reply.oauthError(400, "invalid_request", "code_verifier required"), state]
  }
  const next = Accounts.addRefreshToken(
    Accounts.issueAccess(Accounts.dropCode(state, codeValue), fresh.accessToken, code.scope, fresh.nowMs),
    fresh.refreshToken,
    code.scope
  )
  return [granted(fresh.accessToken, code.scope, fresh.refreshToken), next]
}

/** POST /api/token: the refresh_token and authorization_code grants, Basic or PKCE clients. */
export const handle = (request: TokenRequest, deps: TokenDeps): Effect.Effect<Reply.Reply> =>
  Effect.gen(function*() {
    const form = (request.contentType ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded")
      ? new URLSearchParams(request.body)
      : new URLSearchParams()
    const client = authenticateClient(request.authorization, form, deps)
    if (typeof client !== "string") return client
    const grantType = form.get("grant_type")
    if (grantType === null) return Reply.oauthError(400, "unsupported_grant_type", "grant_type parameter is missing")
    const fresh: Fresh = {
      accessToken: yield* Effect.sync(() => Accounts.newSecret("BQ")),
      refreshToken: yield* Effect.sync(() => Accounts.newSecret("AQ")),
      nowMs: yield* Clock.currentTimeMillis
    }
    const switches = yield* Ref.get(deps.switches)
    switch (grantType) {
      case "refresh_token":
        return yield* Ref.modify(deps.accounts, (state) => refresh(form, state, switches, fresh))
      case "authorization_code":
        return yield* Ref.modify(deps.accounts, (state) => exchange(form, client, state, fresh))
      default:
        return Reply.oauthError(
          400,
          "unsupported_grant_type",
          "grant_type must be client_credentials, authorization_code or refresh_token"
        )
    }
  })
