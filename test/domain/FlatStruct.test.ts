import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Either, FastCheck as fc, Schema } from "effect"
import { ExportLink } from "../../src/domain/exports/ExportLink.js"
import { ExportRow } from "../../src/domain/exports/ExportRow.js"
import { flatStruct } from "../../src/domain/FlatStruct.js"
import { Play } from "../../src/domain/Play.js"

const runs = { numRuns: 300, seed: 11 }

const junk = fc.oneof(fc.constant(null), fc.constant(undefined), fc.string(), fc.double(), fc.boolean(), fc.constant([]), fc.constant({}))

/** Valid values, some with a field removed, replaced by junk or one added, as JSON gives them back: what a damaged or foreign line holds. */
const damaged = <A extends object, I>(schema: Schema.Schema<A, I>) =>
  fc.tuple(Arbitrary.make(schema), fc.nat(40), junk, fc.nat(3)).map(([value, at, other, how]): object => {
    const entries = Object.entries(value)
    const name = entries[at % entries.length]?.[0] ?? "extra"
    const changed = how === 0
      ? value
      : how === 1
      ? Object.fromEntries(entries.filter(([key]) => key !== name))
      : how === 2
      ? { ...value, [name]: other }
      : { ...value, extra: other }
    return JSON.parse(JSON.stringify(changed))
  })

const agreesWithSchema = <A extends object, I>(name: string, schema: Schema.Schema<A, I>) => {
  const flat = flatStruct(schema)
  const valid = Schema.is(schema)
  const decode = Schema.decodeUnknownEither(schema)

  it(`${name}: the compiled check accepts exactly what the schema validates`, () => {
    expect(flat).toBeDefined()
    fc.assert(fc.property(fc.oneof(damaged(schema), junk), (value) => flat?.is(value) === valid(value)), runs)
  })

  it(`${name}: what it takes as exact, Schema decodes to an equal value; what it declines, Schema refuses or changes`, () => {
    fc.assert(
      fc.property(damaged(schema), (value) => {
        const decoded = decode(value)
        return flat?.isExactly(value) === true
          ? Either.isRight(decoded) && JSON.stringify(decoded.right) === JSON.stringify(value)
          : Either.isLeft(decoded) || JSON.stringify(decoded.right) !== JSON.stringify(value)
      }),
      runs
    )
  })
}

describe("flatStruct", () => {
  agreesWithSchema("ExportRow", ExportRow)
  agreesWithSchema("ExportLink", ExportLink)

  it("declines what it cannot check in a loop: brands, refinements, arrays, records", () => {
    expect(flatStruct(Play)).toBeUndefined()
    expect(flatStruct(Schema.Struct({ n: Schema.Int }))).toBeUndefined()
    expect(flatStruct(Schema.Struct({ names: Schema.Array(Schema.String) }))).toBeUndefined()
    expect(flatStruct(Schema.Record({ key: Schema.String, value: Schema.String }))).toBeUndefined()
  })
})
