import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { ImportRecord, LandingObject } from "../domain/exports/ImportRecord.js"
import { ExportLake, type Versioned } from "../services/exportlake/ExportLake.js"

/*
 * Which file counts the rows an object holds. While a file is importing, its record names the day
 * objects its plan lands (`landing`); those are its own, whoever lands them first.
 */

const sameKeys = (a: ReadonlyArray<LandingObject>, b: ReadonlyArray<LandingObject>) => {
  const keys = new Set(a.map((object) => object.key))
  return a.length === b.length && b.every((object) => keys.has(object.key))
}

export const rowsOf = (objects: ReadonlyArray<LandingObject>) => objects.reduce((n, object) => n + object.rows, 0)

/**
 * The objects other files' unfinished imports plan to land: such a file counts them as its own
 * when it is imported again, whoever landed them, so no other file counts them.
 */
export const claimedElsewhere = (sha256: string, objects: ReadonlyArray<LandingObject>) =>
  objects.length === 0 ? Effect.succeed(new Set<string>()) : Effect.gen(function*() {
    const records = (yield* Effect.flatMap(ExportLake, (lake) => lake.importRecords)).values
    return new Set(records.flatMap((record) =>
      record.status === "importing" && record.tally.sha256 !== sha256 ? (record.landing ?? []).map((object) => object.key) : []
    ))
  })

/**
 * A file's plan taken up again after an interruption (`landing`: the objects its rows now make,
 * none claimed by another file). Its rows are those of the objects its plan named before, found in
 * the lake (another import lands a claimed object without counting it), and those it lands now. A
 * record written before records named their objects keeps its figures.
 */
export const resumePlan = Effect.fn("ResumePlan")(function*(recorded: Versioned<ImportRecord>, landing: ReadonlyArray<LandingObject>) {
  const before = recorded.value.landing
  if (before === undefined) return { record: recorded.value, version: recorded.version }
  const held = yield* Effect.flatMap(ExportLake, (lake) => lake.holding(before.map((object) => object.key)))
  const landed = before.filter((object) => held.has(object.key))
  const keys = new Set(landed.map((object) => object.key))
  const objects = [...landed, ...landing.filter((object) => !keys.has(object.key))]
  if (sameKeys(before, objects)) return { record: recorded.value, version: recorded.version }
  const imported = rowsOf(objects)
  const { tally } = recorded.value
  const record: ImportRecord = { ...recorded.value, landing: objects, tally: { ...tally, imported, duplicates: tally.rows - imported } }
  return { record, version: yield* Effect.flatMap(ExportLake, (lake) => lake.saveImportRecord(record, Option.some(recorded.version))) }
})
