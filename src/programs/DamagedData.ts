import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import { fingerprint } from "../domain/analytics/Fingerprint.js"
import { lakeSources, linesInto, linesTable, type RepairedObjects } from "../domain/analytics/LakeSources.js"
import { LakeFiles } from "../services/analytics/LakeFiles.js"
import { SqlEngine, type SqlError } from "../services/analytics/SqlEngine.js"
import { type DamagedObject, describeUnreadable, jsonLinesDecoder } from "../services/lake/LakeCodec.js"

export interface DamagedData {
  /** Per source, its damaged objects: read from a table of their readable lines instead of their files. */
  readonly repaired: ReadonlyMap<string, RepairedObjects>
  /** Per source with damaged objects, a fingerprint of which lines were left out. */
  readonly prints: ReadonlyMap<string, string>
  readonly damaged: ReadonlyArray<DamagedObject>
}

/** The readable lines of a damaged object (as the lake's schema reads them) that the engine still cannot read. */
export class DamagedLinesUnreadable extends Data.TaggedError("DamagedLinesUnreadable")<{
  readonly key: string
  readonly cause: SqlError
}> {}

/** The object of the local folder `root` a SQL engine's words on a file it could not read name, if any. */
export const objectNamed = (message: string, root: string): string | undefined => {
  const path = /in file "([^"]+)"/.exec(message)?.[1]
  return path !== undefined && path.startsWith(`${root}/`) ? path.slice(root.length + 1) : undefined
}

/**
 * Data objects suspected damaged (named by the SQL engine in this build, or left out by the last
 * one), per source, each read afresh: one that now reads whole (a sync or an import landed its
 * lines again) is read as usual; the readable lines of one that does not go into a table the models
 * read instead of its file, and the lines left out are named.
 */
export const readDamagedData = (suspects: ReadonlyMap<string, ReadonlyArray<string>>) =>
  Effect.gen(function*() {
    const files = yield* LakeFiles
    const sql = yield* SqlEngine
    const texts = yield* files.readFresh([...suspects.values()].flat())
    const repaired = new Map<string, RepairedObjects>()
    const prints = new Map<string, string>()
    const damaged: Array<DamagedObject> = []
    for (const source of lakeSources) {
      const keys = suspects.get(source.name) ?? []
      if (source.lines === undefined || keys.length === 0) continue
      const decode = jsonLinesDecoder(source.lines)
      const objects = keys.flatMap((key) => {
        const text = texts.get(key)
        if (text === undefined) return []
        const { unreadable } = decode(text)
        if (unreadable.length === 0) return []
        const bad = new Set(unreadable.map((line) => line.line))
        damaged.push({ key, problem: `${describeUnreadable(key, unreadable)}; left out of the models` })
        return [{ key, lines: text.split("\n").filter((line, i) => line !== "" && !bad.has(i + 1)), left: [...bad].join(", ") }]
      })
      if (objects.length === 0) continue
      const table = `damaged_${source.name}`
      yield* sql.execute(linesTable(source, table))
      // Object by object, so that a line the engine cannot read is named with its object.
      for (const object of objects) {
        if (object.lines.length === 0) continue
        yield* sql.execute(linesInto(source, table, object)).pipe(
          Effect.mapError((cause) => new DamagedLinesUnreadable({ key: object.key, cause }))
        )
      }
      repaired.set(source.name, { table, keys: new Set(objects.map((object) => object.key)) })
      prints.set(source.name, fingerprint(objects.map((object) => `${object.key}:${object.left}`)))
    }
    return { repaired, prints, damaged } satisfies DamagedData
  })
