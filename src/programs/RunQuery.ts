import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import { SqlEngine } from "../services/analytics/SqlEngine.js"
import { type BuildOptions, buildModels } from "./BuildModels.js"
import { againIfWarehouseReplaced } from "./ReplacedWarehouse.js"

/** The user's own SQL failed: `reason` as the engine said (wrong SQL, or data it could not read). */
export class QueryError extends Data.TaggedError("QueryError")<{
  readonly reason: "InvalidSql" | "InvalidData" | "Failed"
  readonly message: string
}> {}

/**
 * Brings the models up to date (tests run when anything was rebuilt), then runs `sql` against them;
 * again if a concurrent build removed a file the models named meanwhile.
 */
export const runQuery = (sql: string, options: Omit<BuildOptions, "testAlways">) =>
  Effect.gen(function*() {
    yield* buildModels({ ...options, testAlways: false })
    const engine = yield* SqlEngine
    return yield* engine.query(sql).pipe(
      Effect.mapError((error) => new QueryError({ reason: error.reason, message: `Your query did not run: ${error.message}` }))
    )
  }).pipe(againIfWarehouseReplaced, Effect.withSpan("RunQuery"))
