import type { ColumnTest, ModelProject } from "./ModelProject.js"
import { sqlLiteral } from "./ModelTemplate.js"
import { ident } from "./SqlText.js"

/** One test of the built models: a query that returns the failing rows, none when it passes. */
export interface ModelCheck {
  /** The model the test is about (for a singular test, the models it reads). */
  readonly model: string
  /** As dbt names it: `unique(listen_id)`, `accepted_values(kind)`, or the singular test's file name. */
  readonly test: string
  readonly sql: string
}


const literal = (value: string | number | boolean) => typeof value === "boolean" ? String(value) : sqlLiteral(value)

const columnCheck = (model: string, column: string, test: ColumnTest): ModelCheck => {
  const col = ident(column)
  const from = ident(model)
  if (test === "unique") {
    return {
      model,
      test: `unique(${column})`,
      sql: `SELECT ${col}, count(*) AS occurrences FROM ${from} WHERE ${col} IS NOT NULL GROUP BY ${col} HAVING count(*) > 1`
    }
  }
  if (test === "not_null") return { model, test: `not_null(${column})`, sql: `SELECT * FROM ${from} WHERE ${col} IS NULL` }
  return {
    model,
    test: `accepted_values(${column})`,
    sql: `SELECT DISTINCT ${col} FROM ${from} WHERE ${col} IS NOT NULL AND ${col} NOT IN (${
      test.accepted_values.values.map(literal).join(", ")
    })`
  }
}

/** The generic tests schema.yml declares, then the singular ones (rendered by the caller: they use ref()). */
export const genericChecks = (project: ModelProject): ReadonlyArray<ModelCheck> =>
  project.models.flatMap((model) => [
    ...(model.doc?.columns ?? []).flatMap((column) => column.tests.map((test) => columnCheck(model.name, column.name, test))),
    ...(model.doc?.tests ?? []).map(({ unique_combination_of_columns: { combination_of_columns: cols } }): ModelCheck => ({
      model: model.name,
      test: `unique_combination_of_columns(${cols.join(", ")})`,
      sql: `SELECT ${cols.map(ident).join(", ")}, count(*) AS occurrences FROM ${ident(model.name)} GROUP BY ALL HAVING count(*) > 1`
    }))
  ])
