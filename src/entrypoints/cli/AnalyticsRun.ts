import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import type { PlatformError } from "@effect/platform/Error"
import * as Console from "effect/Console"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { type BuildResult, buildModels } from "../../programs/BuildModels.js"
import { buildReport } from "../../programs/BuildReport.js"
import { runQuery } from "../../programs/RunQuery.js"
import { existingLakeUrl } from "./CliLakeUrl.js"
import { resolveTimeZone, terminalProgress } from "./AnalyticsCommon.js"
import { layerAnalytics } from "./AnalyticsLayer.js"
import { printData, printLines } from "./CliCommon.js"
import { asCsv, asJsonLines, asTable } from "./TableOutput.js"
import { withThousands } from "../../domain/Thousands.js"

const describeBuild = (result: BuildResult, lake: string): ReadonlyArray<string> => {
  const width = Math.max(...result.models.map((model) => model.name.length))
  const built = result.models.filter((model) => model.status === "built").length
  return [
    ...result.models.map((model) =>
      `${model.name.padEnd(width)}  ${model.status.padEnd(5)}  ${model.rows === null ? "" : `${withThousands(model.rows)} ${model.rows === 1 ? "row" : "rows"}`}`.trimEnd()
    ),
    built === 0
      ? `Nothing changed in the lake since the last build; ${result.tests} tests passed.`
      : `${built} models rebuilt and ${result.tests} tests passed; Parquet written under ${lake}/warehouse/ (${result.written.length} files).`
  ]
}

/** `models`: builds and tests the models, writing Parquet for what changed. */
export const models = ({ json, tz }: { readonly json: boolean; readonly tz: Option.Option<string> }) =>
  Effect.gen(function*() {
    const lake = yield* existingLakeUrl
    const zone = yield* resolveTimeZone(tz)
    const result = yield* buildModels({ vars: { tz: zone }, testAlways: true, progress: terminalProgress }).pipe(
      Effect.provide(layerAnalytics(lake.location))
    )
    yield* json ? Console.log(JSON.stringify(result)) : printLines(describeBuild(result, lake.url))
  })

interface QueryConfig {
  readonly sql: string
  readonly json: boolean
  readonly csv: boolean
  readonly tz: Option.Option<string>
}

/** `query`: one SQL query over the models, as a table, JSON lines or CSV. */
export const query = ({ csv, json, sql, tz }: QueryConfig) =>
  Effect.gen(function*() {
    const lake = yield* existingLakeUrl
    const zone = yield* resolveTimeZone(tz)
    const result = yield* runQuery(sql, { vars: { tz: zone }, progress: terminalProgress }).pipe(
      Effect.provide(layerAnalytics(lake.location))
    )
    yield* json ? printData(asJsonLines(result)) : csv ? printData(asCsv(result)) : printLines(asTable(result))
  })

/** The report was built but `--out` could not take it. */
class ReportNotWritten extends Data.TaggedError("ReportNotWritten")<{ readonly message: string }> {}

const notWritten = (out: string, error: PlatformError) => {
  const why = error._tag === "SystemError" && error.reason === "NotFound"
    ? "its folder does not exist"
    : error._tag === "SystemError" && error.reason === "PermissionDenied"
    ? "permission denied"
    : error._tag === "SystemError" && error.reason === "BadResource"
    ? "it is not a file that can be written (a folder?)"
    : error.message
  return `The report could not be written to ${out}: ${why}.`
}

interface ReportConfig {
  readonly out: string
  readonly year: Option.Option<number>
  readonly tz: Option.Option<string>
}

/** `report`: the HTML report, written to `out`. */
export const report = ({ out, tz, year }: ReportConfig) =>
  Effect.gen(function*() {
    const lake = yield* existingLakeUrl
    const zone = yield* resolveTimeZone(tz)
    const html = yield* buildReport({ vars: { tz: zone }, year: Option.getOrUndefined(year), progress: terminalProgress }).pipe(
      Effect.provide(layerAnalytics(lake.location))
    )
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    yield* fs.writeFileString(out, html).pipe(Effect.mapError((error) => new ReportNotWritten({ message: notWritten(path.resolve(out), error) })))
    yield* Console.log(`Report written to ${path.resolve(out)} (one file; it opens offline).`)
  })
