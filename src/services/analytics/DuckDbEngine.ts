import {
  dateFromTimestampTZValue,
  dateFromTimestampValue,
  doubleFromDecimalValue,
  DuckDBInstance,
  DuckDBTypeId,
  type DuckDBValueConverter,
  JsonDuckDBValueConverter,
  stringFromValue
} from "@duckdb/node-api"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Layer from "effect/Layer"
import { type SqlColumn, SqlEngine, SqlError, type SqlValue } from "./SqlEngine.js"

export interface DuckDbOptions {
  /** Where DuckDB may spill a large sort or join; by default a fresh folder under the OS temp folder, removed on close. */
  readonly tempDirectory?: string
}

const wholeNumber = (value: Parameters<DuckDBValueConverter<SqlValue>>[0]): number | string => {
  const text = stringFromValue(value)
  const number = Number(text)
  return Number.isSafeInteger(number) ? number : text
}

// Instants beyond what a JS Date holds (DuckDB's infinity among them) keep DuckDB's own spelling.
const instant = (toDate: () => Date, value: Parameters<DuckDBValueConverter<SqlValue>>[0], utc: boolean) => {
  try {
    const iso = toDate().toISOString()
    return utc ? iso : iso.replace("Z", "")
  } catch {
    return stringFromValue(value)
  }
}

const toSqlValue: DuckDBValueConverter<SqlValue> = (value, type, converter) => {
  if (value === null) return null
  switch (type.typeId) {
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return wholeNumber(value)
    case DuckDBTypeId.DECIMAL:
      return doubleFromDecimalValue(value)
    case DuckDBTypeId.TIMESTAMP_TZ:
      return instant(() => dateFromTimestampTZValue(value), value, true)
    case DuckDBTypeId.TIMESTAMP:
      return instant(() => dateFromTimestampValue(value), value, false)
    default:
      return JsonDuckDBValueConverter(value, type, converter)
  }
}

const sqlErrorKinds = /^(Parser|Binder|Catalog|Syntax|Not implemented|Permission|Dependency) Error/
const dataErrorKinds = /^(Invalid Input|Conversion|Out of Range|Constraint) Error/

/** DuckDB's message without the echoed SQL and caret it appends: one sentence. */
const firstLine = (message: string) => message.split("\n")[0]?.trim() ?? message

const failure = (cause: unknown) => {
  const message = cause instanceof Error ? cause.message : String(cause)
  return new SqlError({
    reason: sqlErrorKinds.test(message) ? "InvalidSql" : dataErrorKinds.test(message) ? "InvalidData" : "Failed",
    message: firstLine(message),
    cause
  })
}

/** DuckDB's own default spills into `.tmp/` under the working folder: a user's checkout, never ours to fill. */
const spillFolder = (options: DuckDbOptions) =>
  options.tempDirectory === undefined
    ? Effect.acquireRelease(
      Effect.tryPromise({ try: () => mkdtemp(join(tmpdir(), "spotify-pipeline-duckdb-")), catch: failure }),
      (folder) => Effect.promise(() => rm(folder, { recursive: true, force: true }))
    )
    : Effect.succeed(options.tempDirectory)

const make = (options: DuckDbOptions) =>
  Effect.gen(function*() {
    const temp_directory = yield* spillFolder(options)
    const settings: Record<string, string> = {
      // Order is asked for where it matters (ORDER BY); keeping it everywhere makes COPY to Parquet superlinear.
      preserve_insertion_order: "false",
      // No extension is ever downloaded: what the build needs (JSON, Parquet, ICU) is built in.
      autoinstall_known_extensions: "false",
      autoload_known_extensions: "false",
      temp_directory
    }
    const instance = yield* Effect.acquireRelease(
      Effect.tryPromise({ try: () => DuckDBInstance.create(":memory:", settings), catch: failure }),
      (instance) => Effect.sync(() => instance.closeSync())
    )
    const connection = yield* Effect.acquireRelease(
      Effect.tryPromise({ try: () => instance.connect(), catch: failure }),
      (connection) => Effect.sync(() => connection.closeSync())
    )
    return {
      execute: Effect.fn("SqlEngine.execute")(function*(sql: string) {
        yield* Effect.tryPromise({ try: () => connection.run(sql), catch: failure })
      }),
      query: Effect.fn("SqlEngine.query")(function*(sql: string) {
        // DuckDB would run every statement and answer with one of them, the others' results dropped
        // unseen. (Given none, extracting fails natively: the run below then says what is wrong.)
        const statements = yield* Effect.option(Effect.tryPromise(() => connection.extractStatements(sql)))
        if (Option.exists(statements, (extracted) => extracted.count > 1)) {
          return yield* new SqlError({ reason: "InvalidSql", message: `expected one SQL statement, got ${Option.getOrThrow(statements).count}` })
        }
        const reader = yield* Effect.tryPromise({ try: () => connection.runAndReadAll(sql), catch: failure })
        const columns = reader.columnNames().map((name, i): SqlColumn => ({ name, type: reader.columnType(i).toString() }))
        const rows = yield* Effect.try({ try: () => reader.convertRowObjects(toSqlValue), catch: failure })
        return { columns, rows }
      })
    } satisfies typeof SqlEngine.Service
  })

/** An in-memory DuckDB (JSON, Parquet and ICU time zones built in), closed with the layer's scope. */
export const layer = (options: DuckDbOptions = {}): Layer.Layer<SqlEngine, SqlError> =>
  Layer.scoped(SqlEngine, make(options))
