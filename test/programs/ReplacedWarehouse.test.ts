import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { readdirSync, rmSync } from "node:fs"
import { join } from "node:path"
import { buildModels } from "../../src/programs/BuildModels.js"
import { buildReport } from "../../src/programs/BuildReport.js"
import { yearsSql } from "../../src/programs/ReportQueries.js"
import { runQuery } from "../../src/programs/RunQuery.js"
import { SqlEngine } from "../../src/services/analytics/SqlEngine.js"
import { analyticsOver, handLake, play, quietBuild } from "../support/HandLake.js"

/*
 * Another process's build (another --tz, say) may replace a model, and remove the file it
 * replaced, between this query's build and its read: the query builds again and answers.
 */

const userSql = "SELECT count(*) AS n FROM daily WHERE listens > 0"

/** The engine as the query sees it: right before `sql` first runs, `race` happens. */
const racingEngine = (race: () => void, sql = userSql) =>
  Layer.effect(SqlEngine, Effect.map(SqlEngine, (engine) => {
    let raced = false
    return {
      ...engine,
      query: (text: string) =>
        Effect.suspend(() => {
          if (!raced && text === sql) {
            raced = true
            race()
          }
          return engine.query(text)
        })
    }
  }))

/** Two listens on two days, the models built over them once. */
const builtLake = Effect.tap(
  handLake({ plays: [play("2024-01-10T10:00:00Z", "One", "A"), play("2024-01-12T10:00:00Z", "Two", "A")] }),
  (root) => buildModels(quietBuild).pipe(Effect.provide(analyticsOver(root)))
)

/** Another build replacing `model`, as far as a reader can tell: its Parquet files go. */
const removingFilesOf = (root: string, model: string) => {
  const folder = join(root, "warehouse", model)
  let removed: ReadonlyArray<string> = []
  return {
    race: () => {
      removed = readdirSync(folder)
      for (const file of removed) rmSync(join(folder, file))
    },
    removed: () => removed
  }
}

describe("a query or the report while another build replaces a model", () => {
  it.scoped("a model file removed by a concurrent build between the build and the read: built again, answered", () =>
    Effect.gen(function*() {
      const root = yield* builtLake
      const daily = removingFilesOf(root, "daily")
      const result = yield* runQuery(userSql, quietBuild).pipe(Effect.provide(Layer.provideMerge(racingEngine(daily.race), analyticsOver(root))))
      expect(daily.removed().length).toBeGreaterThan(0)
      expect(result.rows).toEqual([{ n: 2 }])
    }))

  it.scoped("any other failure is not run again", () =>
    Effect.gen(function*() {
      const root = yield* handLake({ plays: [play("2024-01-10T10:00:00Z", "One", "A")] })
      let builds = 0
      const counting = Layer.effect(SqlEngine, Effect.map(SqlEngine, (engine) => ({
        ...engine,
        execute: (text: string) => Effect.suspend(() => {
          if (text.startsWith("CREATE OR REPLACE TABLE \"plays\"")) builds++
          return engine.execute(text)
        })
      })))
      const error = yield* Effect.flip(runQuery("SELECT nope FROM listens", quietBuild).pipe(
        Effect.provide(Layer.provideMerge(counting, analyticsOver(root)))
      ))
      expect(error.message).toMatch(/^Your query did not run: Binder Error/)
      expect(builds).toBe(1)
    }))

  it.scoped("the report too: a model file removed between its build and its first question, built again, drawn", () =>
    Effect.gen(function*() {
      const root = yield* builtLake
      const yearly = removingFilesOf(root, "yearly")
      const html = yield* buildReport({ ...quietBuild, year: undefined }).pipe(
        Effect.provide(Layer.provideMerge(racingEngine(yearly.race, yearsSql), analyticsOver(root)))
      )
      expect(yearly.removed().length).toBeGreaterThan(0)
      expect(html).toContain("2024")
    }))
})
