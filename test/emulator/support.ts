import { Effect, Schema } from "effect"
import * as Emulator from "../../src/emulator/Emulator.js"
import { request } from "./http.js"

export const clientId = "emulator-client"
export const clientSecret = "emulator-secret"
export const bootstrapRefreshToken = "emulator-refresh-token"
export const recentlyPlayedPath = "/v1/me/player/recently-played"

export const basic = (id: string = clientId, secret: string = clientSecret): string =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`

export const TokenBody = Schema.Struct({
  access_token: Schema.String,
  token_type: Schema.Literal("Bearer"),
  scope: Schema.String,
  expires_in: Schema.Literal(3600),
  refresh_token: Schema.optional(Schema.String)
})
export const OAuthError = Schema.Struct({ error: Schema.String, error_description: Schema.String })
export const ApiError = Schema.Struct({ error: Schema.Struct({ status: Schema.Number, message: Schema.String }) })

export const decodeBody = <A, I>(schema: Schema.Schema<A, I>) => (response: { readonly body: string }) =>
  Schema.decodeUnknown(Schema.parseJson(schema))(response.body).pipe(Effect.orDie)

export const postToken = (
  emulator: Emulator.Emulator,
  fields: Readonly<Record<string, string>>,
  headers: Readonly<Record<string, string>> = {}
) =>
  request(`${emulator.url}/api/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString()
  })

export const refreshWithBasic = (emulator: Emulator.Emulator, refreshToken: string = bootstrapRefreshToken) =>
  postToken(emulator, { grant_type: "refresh_token", refresh_token: refreshToken }, { Authorization: basic() })

export const accessToken = (emulator: Emulator.Emulator) =>
  refreshWithBasic(emulator).pipe(
    Effect.flatMap(decodeBody(TokenBody)),
    Effect.map((body) => body.access_token)
  )

export const getWithToken = (emulator: Emulator.Emulator, pathAndQuery: string, token: string) =>
  request(`${emulator.url}${pathAndQuery}`, { headers: { Authorization: `Bearer ${token}` } })

export const recentlyPlayed = (emulator: Emulator.Emulator, token: string, query = "") =>
  getWithToken(emulator, `${recentlyPlayedPath}${query}`, token)

/** A seeded emulator with `plays` plays behind it, and an access token for it. */
export const emulatorWithPlays = (switches: Partial<Emulator.Switches>, plays: number) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.make({ seed: 7 })
    yield* emulator.configure(switches)
    yield* emulator.listen(plays)
    return { emulator, token: yield* accessToken(emulator) }
  })
