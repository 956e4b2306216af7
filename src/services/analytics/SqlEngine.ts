import * as Context from "effect/Context"
import * as Data from "effect/Data"
import type * as Effect from "effect/Effect"

/**
 * Why a statement failed:
 * - `InvalidSql`: the SQL itself is wrong (syntax, an unknown table or column, a type mismatch);
 * - `InvalidData`: the data it read is not what it should be (malformed JSON, a value of the wrong type);
 * - `Failed`: anything else (a file that could not be written, memory).
 */
export class SqlError extends Data.TaggedError("SqlError")<{
  readonly reason: "InvalidSql" | "InvalidData" | "Failed"
  readonly message: string
  readonly cause?: unknown
}> {}

/** A value as JSON carries it: integers that fit a double become numbers, instants ISO strings, lists arrays. */
export type SqlValue = string | number | boolean | null | Array<SqlValue> | { [key: string]: SqlValue }

export interface SqlColumn {
  readonly name: string
  readonly type: string
}

export interface SqlResult {
  readonly columns: ReadonlyArray<SqlColumn>
  readonly rows: ReadonlyArray<Readonly<Record<string, SqlValue>>>
}

export interface SqlEngineShape {
  /** Runs statements for their effect (one or several, `;`-separated). */
  readonly execute: (sql: string) => Effect.Effect<void, SqlError>
  /** Runs one query and reads its whole result. */
  readonly query: (sql: string) => Effect.Effect<SqlResult, SqlError>
}

/** An embedded SQL engine, one connection, alive for the layer's scope. Adapter: DuckDbEngine. */
export class SqlEngine extends Context.Tag("spotify-pipeline/SqlEngine")<SqlEngine, SqlEngineShape>() {}
