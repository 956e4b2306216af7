import { readFileSync } from "node:fs"
import { Ajv } from "ajv"
import addFormats from "ajv-formats"
import { isRecord } from "./json.js"

/** The project's own Spotify shapes, in test/fixtures/spotify/ (see the README there). */
const readFixture = (file: string): unknown =>
  JSON.parse(readFileSync(new URL(`../fixtures/spotify/${file}`, import.meta.url), "utf8"))

const record = (value: unknown, what: string): Record<string, unknown> => {
  if (!isRecord(value)) throw new Error(`${what} is not a JSON object`)
  return value
}

const schema = record(readFixture("spotify.schema.json"), "spotify.schema.json")
const definitions = record(schema["definitions"], "spotify.schema.json#/definitions")

export type Definition =
  | "RecentlyPlayedPage"
  | "PlayHistoryObject"
  | "ContextObject"
  | "TrackObject"
  | "LocalTrackObject"
  | "AlbumObject"
  | "LocalAlbumObject"
  | "ArtistObject"
  | "LocalArtistObject"
  | "PrivateUserObject"
  | "ErrorBody"
  | "TokenBody"
  | "OAuthError"

const ajv = new Ajv({ allErrors: true, allowUnionTypes: true })
addFormats.default(ajv)
ajv.addSchema(schema)

/** Null when `value` fits the definition, else ajv's errors. */
export const validate = (definition: Definition, value: unknown): string | null => {
  const check = ajv.getSchema(`spotify.schema.json#/definitions/${definition}`)
  if (check === undefined) throw new Error(`spotify.schema.json has no definition ${definition}`)
  return check(value) ? null : ajv.errorsText(check.errors)
}

/** Every property name a definition declares, through $ref, allOf, anyOf and oneOf. */
export const declaredProperties = (definition: Definition): ReadonlySet<string> => {
  const names = new Set<string>()
  const visit = (node: unknown): void => {
    if (!isRecord(node)) return
    const ref = node["$ref"]
    if (typeof ref === "string") visit(definitions[ref.replace("#/definitions/", "")])
    const properties = node["properties"]
    if (isRecord(properties)) for (const name of Object.keys(properties)) names.add(name)
    for (const keyword of ["allOf", "anyOf", "oneOf"]) {
      const branches = node[keyword]
      if (Array.isArray(branches)) branches.forEach(visit)
    }
  }
  visit(definitions[definition])
  if (names.size === 0) throw new Error(`spotify.schema.json declares no properties for ${definition}`)
  return names
}

/** A hand-written page of two plays, newest first (one whole-second played_at, one null context). */
export const examplePage = readFixture("recently-played.page.json")
/** The empty page exactly as Spotify sends it. */
export const emptyPage = readFixture("recently-played.empty.json")

const tokens = record(readFixture("token-endpoint.json"), "token-endpoint.json")
const errors = record(readFixture("errors.json"), "errors.json")

const entry = (from: Record<string, unknown>, key: string, file: string): Record<string, unknown> =>
  record(from[key], `${file}#${key}`)

export const tokenBodies = {
  codeExchange: entry(tokens, "codeExchange", "token-endpoint.json"),
  confidentialRefresh: entry(tokens, "confidentialRefresh", "token-endpoint.json"),
  pkceRefreshRotated: entry(tokens, "pkceRefreshRotated", "token-endpoint.json"),
  refreshRevoked: entry(tokens, "refreshRevoked", "token-endpoint.json"),
  invalidClient: entry(tokens, "invalidClient", "token-endpoint.json")
} as const

export const errorBodies = {
  invalidLimit: entry(errors, "invalidLimit", "errors.json"),
  accessTokenExpired: entry(errors, "accessTokenExpired", "errors.json")
} as const
