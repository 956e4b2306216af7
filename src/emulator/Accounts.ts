import { randomBytes } from "node:crypto"

export const expiresInSeconds = 3600

export interface AccessGrant {
  readonly scope: string
  readonly expiresAtMs: number
  readonly expired: boolean
}

export interface Code {
  readonly redirectUri: string
  readonly scope: string
  readonly codeChallenge: string | null
}

/** Everything the accounts service has issued; replaced whole on every change (kept in a Ref). */
export interface Accounts {
  readonly refreshTokens: ReadonlyMap<string, string>
  readonly accessTokens: ReadonlyMap<string, AccessGrant>
  readonly codes: ReadonlyMap<string, Code>
}

export const initial = (refreshToken: string, scope: string): Accounts => ({
  refreshTokens: new Map([[refreshToken, scope]]),
  accessTokens: new Map(),
  codes: new Map()
})

/** An opaque token shaped like Spotify's (`BQ…` access tokens, `AQ…` refresh tokens and codes). */
export const newSecret = (prefix: "AQ" | "BQ"): string => `${prefix}${randomBytes(96).toString("base64url")}`

export const issueAccess = (accounts: Accounts, token: string, scope: string, nowMs: number): Accounts => ({
  ...accounts,
  accessTokens: new Map([...accounts.accessTokens, [token, { scope, expiresAtMs: nowMs + expiresInSeconds * 1000, expired: false }]])
})

export const addRefreshToken = (accounts: Accounts, token: string, scope: string): Accounts => ({
  ...accounts,
  refreshTokens: new Map([...accounts.refreshTokens, [token, scope]])
})

export const dropRefreshToken = (accounts: Accounts, token: string): Accounts => ({
  ...accounts,
  refreshTokens: new Map([...accounts.refreshTokens].filter(([existing]) => existing !== token))
})

export const addCode = (accounts: Accounts, code: string, grant: Code): Accounts => ({
  ...accounts,
  codes: new Map([...accounts.codes, [code, grant]])
})

export const dropCode = (accounts: Accounts, code: string): Accounts => ({
  ...accounts,
  codes: new Map([...accounts.codes].filter(([existing]) => existing !== code))
})

export const expireAll = (accounts: Accounts): Accounts => ({
  ...accounts,
  accessTokens: new Map([...accounts.accessTokens].map(([token, grant]) => [token, { ...grant, expired: true }]))
})

export type Authentication =
  | { readonly _tag: "Valid"; readonly scope: string }
  | { readonly _tag: "Missing" }
  | { readonly _tag: "Invalid" }
  | { readonly _tag: "Expired" }

export const authenticate = (accounts: Accounts, authorization: string | undefined, nowMs: number): Authentication => {
  const match = authorization === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(authorization)
  const token = match?.[1]
  if (token === undefined) return { _tag: "Missing" }
  const grant = accounts.accessTokens.get(token)
  if (grant === undefined) return { _tag: "Invalid" }
  if (grant.expired || nowMs >= grant.expiresAtMs) return { _tag: "Expired" }
  return { _tag: "Valid", scope: grant.scope }
}

export const hasScope = (scope: string, wanted: string): boolean => scope.split(/\s+/).includes(wanted)
