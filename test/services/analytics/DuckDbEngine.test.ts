import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { existsSync } from "node:fs"
import { tmpdir } from "node:os"
import * as DuckDbEngine from "../../../src/services/analytics/DuckDbEngine.js"
import { SqlEngine } from "../../../src/services/analytics/SqlEngine.js"

/*
 * DuckDB left to itself spills a large sort into `.tmp/` under the working folder, which for a
 * user is their checkout. The engine gives it a folder of its own under the OS temp folder and
 * takes it away on close.
 */

const spillFolder = Effect.flatMap(SqlEngine, (sql) => sql.query("SELECT current_setting('temp_directory') AS dir")).pipe(
  Effect.map((result) => String(result.rows[0]?.dir))
)

describe("DuckDbEngine", () => {
  it.effect("spills into a fresh folder under the OS temp folder, removed when the engine closes", () =>
    Effect.gen(function*() {
      const during = yield* Effect.scoped(
        Effect.gen(function*() {
          const dir = yield* spillFolder
          expect(dir.startsWith(tmpdir())).toBe(true)
          expect(existsSync(dir)).toBe(true)
          return dir
        }).pipe(Effect.provide(DuckDbEngine.layer()))
      )
      expect(existsSync(during)).toBe(false)
    }))

  it.effect("spills where it is told when given a folder", () =>
    Effect.gen(function*() {
      const dir = yield* spillFolder.pipe(Effect.provide(DuckDbEngine.layer({ tempDirectory: `${tmpdir()}/chosen-spill` })))
      expect(dir).toBe(`${tmpdir()}/chosen-spill`)
    }))
  it.effect("a query is one statement: two are refused rather than one answered and the other dropped", () =>
    Effect.gen(function*() {
      const sql = yield* SqlEngine
      const two = yield* Effect.flip(sql.query("SELECT 11 AS a; SELECT 22 AS b"))
      expect([two.reason, two.message]).toEqual(["InvalidSql", "expected one SQL statement, got 2"])
      expect((yield* sql.query("SELECT 11 AS a;")).rows).toEqual([{ a: 11 }])
    }).pipe(Effect.provide(DuckDbEngine.layer())))
})
