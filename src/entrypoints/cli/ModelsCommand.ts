import * as Command from "@effect/cli/Command"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import { type BuildResult, buildModels } from "../../programs/BuildModels.js"
import { lakeUrl } from "../AppLayer.js"
import { layerAnalytics } from "./AnalyticsLayer.js"
import { resolveTimeZone, terminalProgress, tz } from "./AnalyticsCommon.js"
import { json, printLines } from "./CliCommon.js"

const describeBuild = (result: BuildResult, lake: string): ReadonlyArray<string> => {
  const width = Math.max(...result.models.map((model) => model.name.length))
  const built = result.models.filter((model) => model.status === "built").length
  return [
    ...result.models.map((model) =>
      `${model.name.padEnd(width)}  ${model.status.padEnd(5)}  ${model.rows === null ? "" : `${model.rows.toLocaleString("en")} ${model.rows === 1 ? "row" : "rows"}`}`.trimEnd()
    ),
    built === 0
      ? `Nothing changed in the lake since the last build; ${result.tests} tests passed.`
      : `${built} models rebuilt and ${result.tests} tests passed; Parquet written under ${lake}/warehouse/ (${result.written.length} files).`
  ]
}

export const modelsCommand = Command.make("models", { json, tz }, ({ json, tz }) =>
  Effect.gen(function*() {
    const lake = yield* lakeUrl
    const zone = yield* resolveTimeZone(tz)
    const result = yield* buildModels({ vars: { tz: zone }, testAlways: true, progress: terminalProgress }).pipe(
      Effect.provide(layerAnalytics(lake.location))
    )
    yield* json ? Console.log(JSON.stringify(result)) : printLines(describeBuild(result, lake.url))
  })).pipe(
    Command.withDescription("Build and test the SQL models over the lake, and write them as Parquet under warehouse/ (only what changed).")
  )
