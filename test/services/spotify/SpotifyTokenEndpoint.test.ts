import { describe, expect, it } from "@effect/vitest"
import { Either, Redacted, Schema } from "effect"
import { TokenGrantBody } from "../../../src/services/spotify/SpotifyTokenEndpoint.js"

const decode = Schema.decodeUnknownEither(TokenGrantBody)
const grant = (fields: Record<string, unknown>) =>
  JSON.stringify({ access_token: "BQD-access", token_type: "Bearer", expires_in: 3600, ...fields })

describe("TokenGrantBody", () => {
  it("a refresh token Spotify issues is kept, redacted", () => {
    const decoded = Either.getOrThrow(decode(grant({ refresh_token: "AQD-new" })))
    expect(decoded.refresh_token === undefined ? null : Redacted.value(decoded.refresh_token)).toBe("AQD-new")
    expect(String(decoded.refresh_token)).not.toContain("AQD-new")
  })

  it("an absent, null, empty or blank refresh token is none: the stored one goes on being used", () => {
    for (const fields of [{}, { refresh_token: null }, { refresh_token: "" }, { refresh_token: "  " }]) {
      expect(Either.getOrThrow(decode(grant(fields)))).not.toHaveProperty("refresh_token")
    }
  })

  it("an empty or blank access token is not a grant", () => {
    for (const access_token of ["", " "]) expect(Either.isLeft(decode(grant({ access_token })))).toBe(true)
  })
})
