import type * as Schema from "effect/Schema"
import type * as AST from "effect/SchemaAST"

type Primitive = string | number | boolean | null

interface Accepted {
  /** `typeof` of the values any of which is accepted. */
  readonly types: ReadonlyArray<"string" | "number" | "boolean">
  /** Values accepted as such (literals, null). */
  readonly literals: ReadonlyArray<Primitive>
}

const acceptedBy = (ast: AST.AST): Accepted | undefined => {
  switch (ast._tag) {
    case "StringKeyword":
      return { types: ["string"], literals: [] }
    case "NumberKeyword":
      return { types: ["number"], literals: [] }
    case "BooleanKeyword":
      return { types: ["boolean"], literals: [] }
    case "Literal":
      return typeof ast.literal === "bigint" ? undefined : { types: [], literals: [ast.literal] }
    case "Union": {
      const members = ast.types.map(acceptedBy)
      if (members.some((member) => member === undefined)) return undefined
      return { types: members.flatMap((m) => m?.types ?? []), literals: members.flatMap((m) => m?.literals ?? []) }
    }
    default:
      return undefined
  }
}

export interface FlatField {
  readonly name: string
  readonly optional: boolean
  /** What it takes, as `string`, `number`, `null` or a literal in JSON. */
  readonly expected: ReadonlyArray<string>
  readonly accepts: (value: unknown) => boolean
}

export interface FlatStruct<A> {
  readonly fields: ReadonlyArray<FlatField>
  /** What the schema validates, other properties allowed. */
  readonly is: (value: unknown) => value is A
  /** The same with no other property: what decoding the schema returns unchanged. */
  readonly isExactly: (value: unknown) => value is A
}

const isObject = (value: unknown): value is object => typeof value === "object" && value !== null && !Array.isArray(value)

/**
 * A struct of JSON primitives, literals and null (each field optional or not) checked by a plain
 * loop compiled from the schema's own AST, so the schema stays the one definition: Schema's general
 * decoder costs microseconds per value, which a quarter of a million export rows would feel.
 * Undefined for any other schema (refinements, brands, transformations, arrays, nesting).
 */
export const flatStruct = <A, I>(schema: Schema.Schema<A, I>): FlatStruct<A> | undefined => {
  if (schema.ast._tag !== "TypeLiteral" || schema.ast.indexSignatures.length > 0) return undefined
  const fields: Array<FlatField> = []
  for (const signature of schema.ast.propertySignatures) {
    const accepted = acceptedBy(signature.type)
    if (accepted === undefined || typeof signature.name !== "string") return undefined
    const types = new Set<string>(accepted.types)
    const literals = new Set<unknown>(accepted.literals)
    fields.push({
      name: signature.name,
      optional: signature.isOptional,
      expected: [...accepted.types, ...accepted.literals.map((literal) => JSON.stringify(literal))],
      accepts: (value) => types.has(typeof value) || literals.has(value)
    })
  }
  const present = (value: object): number | undefined => {
    let count = 0
    for (const field of fields) {
      const found: unknown = Reflect.get(value, field.name)
      if (found === undefined ? !field.optional : !field.accepts(found)) return undefined
      if (found !== undefined) count++
    }
    return count
  }
  const is = (value: unknown): value is A => isObject(value) && present(value) !== undefined
  const isExactly = (value: unknown): value is A => {
    if (!isObject(value)) return false
    const count = present(value)
    return count !== undefined && Object.keys(value).length === count
  }
  return { fields, is, isExactly }
}
