import { describe, expect, it } from "@effect/vitest"
import { NodeContext } from "@effect/platform-node"
import { Effect, Layer } from "effect"
import { Lake } from "../../src/services/lake/Lake.js"
import * as FileSystemStorage from "../../src/services/storage/FileSystemStorage.js"
import { handLake, rowsOf, withModels } from "../support/HandLake.js"
import { filesOf, importWorld, listener, livePlays, runImport, scratch, writeZip } from "../support/ImportKit.js"

/*
 * The whole way from a lake to an answer: plays captured live (with Spotify's milliseconds), the
 * privacy export of the same listening imported over them, then the models. The import links
 * each export row to its live play by the play's identity; the models must read that identity
 * the same way, or every listen seen both live and exported counts twice.
 */

const folderImport = (root: string) => importWorld(FileSystemStorage.layer(root).pipe(Layer.provide(NodeContext.layer)))

const importInto = (root: string, who: ReturnType<typeof listener>, captured: ReturnType<typeof livePlays>) =>
  Effect.gen(function*() {
    yield* Effect.flatMap(Lake, (lake) => lake.writePlays(captured))
    const zip = yield* writeZip(yield* scratch, filesOf(who))
    return yield* runImport([zip])
  }).pipe(Effect.provide(folderImport(root)))

const listensOf = (root: string) =>
  withModels(
    root,
    rowsOf(`SELECT count(*) AS listens, count(DISTINCT listen_id) AS ids,
                   count(*) FILTER (WHERE in_api) AS live, count(*) FILTER (WHERE in_api AND in_export) AS both
            FROM listens`)
  ).pipe(Effect.map((rows) => rows[0]))

describe("live capture and the exports, reconciled in the models", () => {
  it.scoped("a listen captured live and exported is one listen: as many listens as from the export alone", () =>
    Effect.gen(function*() {
      const who = listener(21, 90)
      const plays = livePlays(who)
      expect(plays.some((play) => play.played_at_ms % 1000 !== 0)).toBe(true)
      const captured = plays.slice(30)

      const exportOnly = yield* handLake({})
      yield* importInto(exportOnly, who, [])
      const both = yield* handLake({})
      const summary = yield* importInto(both, who, captured)
      expect(summary.matched_live).toBe(captured.length)

      const alone = yield* listensOf(exportOnly)
      const reconciled = yield* listensOf(both)
      expect(reconciled).toEqual({ listens: alone?.listens, ids: alone?.listens, live: captured.length, both: captured.length })
    }))
})
