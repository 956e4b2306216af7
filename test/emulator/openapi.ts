import { readFileSync } from "node:fs"
import { Ajv, type ValidateFunction } from "ajv"
import addFormats from "ajv-formats"
import { parse } from "yaml"
import { isRecord } from "./json.js"

/**
 * The community OpenAPI document of the Web API, when `SPOTIFY_OPENAPI` names it. It is not part
 * of the repository; without it the checks against it are skipped.
 */
export const openapiPath: string | undefined = process.env["SPOTIFY_OPENAPI"] || undefined

let parsedSpec: Record<string, unknown> | undefined

/** A fresh copy each time, so one validator's patches never leak into another. */
const loadSpec = (): Record<string, unknown> => {
  if (parsedSpec === undefined) {
    if (openapiPath === undefined) throw new Error("SPOTIFY_OPENAPI is not set")
    const spec: unknown = parse(readFileSync(openapiPath, "utf8"))
    if (!isRecord(spec)) throw new Error(`${openapiPath} is not an object`)
    parsedSpec = spec
  }
  return structuredClone(parsedSpec)
}

const nodeAt = (root: unknown, pointer: string): Record<string, unknown> => {
  let node = root
  for (const part of pointer.split("/").slice(1)) {
    node = isRecord(node) ? node[part.replaceAll("~1", "/").replaceAll("~0", "~")] : undefined
  }
  if (!isRecord(node)) throw new Error(`openapi.yml has nothing at ${pointer}`)
  return node
}

interface Patch {
  readonly at: string
  readonly property: string
  readonly why: string
}

const patch = (at: string, properties: ReadonlyArray<string>, why: string): ReadonlyArray<Patch> =>
  properties.map((property) => ({ at: `/components/schemas/${at}/properties`, property, why }))

/** Nulls that real responses carry where the community spec types a plain value. */
export const pagePatches: ReadonlyArray<Patch> = [
  ...patch("CursorPagingObject", ["next"], "null when there is no further page (the spec's own description says so)"),
  ...patch("CursorPagingObject", ["cursors"], "the empty page has cursors: null"),
  ...patch("PlayHistoryObject", ["context"], "context is null when not played from a playlist/album/artist")
]

/** Local files: no Spotify ids, hrefs or uris for the track, its album or its artists. */
export const localFilePatches: ReadonlyArray<Patch> = [
  ...patch("TrackObject", ["id", "href"], "a local file has no Spotify id"),
  ...patch("SimplifiedArtistObject", ["id", "href", "uri"], "a local file's artist is only a name"),
  ...patch("AlbumBase", ["id", "href", "uri", "album_type", "release_date", "release_date_precision"], "a local file's album is only a name")
]

export interface SpecValidator {
  readonly validate: (pointer: string, value: unknown) => string | null
}

/** Ajv over the spec's components, with the given patches; `validate` answers null or the errors. */
export const validator = (patches: ReadonlyArray<Patch>): SpecValidator => {
  const spec = loadSpec()
  for (const { at, property } of patches) {
    const properties = nodeAt(spec, at)
    properties[property] = { anyOf: [properties[property], { type: "null" }] }
  }
  const ajv = new Ajv({ strict: false, allErrors: true })
  addFormats.default(ajv)
  ajv.addSchema({ $id: "openapi.yml", components: spec["components"] })
  const compiled = new Map<string, ValidateFunction>()
  return {
    validate: (pointer, value) => {
      const validate = compiled.get(pointer) ?? ajv.compile({ $ref: `openapi.yml#${pointer}` })
      compiled.set(pointer, validate)
      return validate(value) ? null : ajv.errorsText(validate.errors)
    }
  }
}

/** A validator built on first use, so that merely loading a skipped suite reads nothing. */
export const lazyValidator = (patches: ReadonlyArray<Patch>): SpecValidator => {
  let built: SpecValidator | undefined
  return {
    validate: (pointer, value) => {
      built ??= validator(patches)
      return built.validate(pointer, value)
    }
  }
}

export const pointers = {
  page: "/components/schemas/CursorPagingPlayHistoryObject",
  item: "/components/schemas/PlayHistoryObject",
  track: "/components/schemas/TrackObject",
  privateUser: "/components/schemas/PrivateUserObject",
  unauthorized: "/components/responses/Unauthorized/content/application~1json/schema",
  forbidden: "/components/responses/Forbidden/content/application~1json/schema",
  tooManyRequests: "/components/responses/TooManyRequests/content/application~1json/schema",
  errorObject: "/components/schemas/ErrorObject"
} as const

/** Every property name a component schema declares, through $ref and allOf. */
export const declaredProperties = (schemaName: string): ReadonlySet<string> => {
  const spec = loadSpec()
  const names = new Set<string>()
  const visit = (node: unknown): void => {
    if (!isRecord(node)) return
    const ref = node["$ref"]
    if (typeof ref === "string") visit(nodeAt(spec, ref.slice(1)))
    const properties = node["properties"]
    if (isRecord(properties)) for (const name of Object.keys(properties)) names.add(name)
    const allOf = node["allOf"]
    if (Array.isArray(allOf)) allOf.forEach(visit)
  }
  visit(nodeAt(spec, `/components/schemas/${schemaName}`))
  return names
}
