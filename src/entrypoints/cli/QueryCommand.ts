import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import { runQuery } from "../../programs/RunQuery.js"
import { lakeUrl } from "../AppLayer.js"
import { layerAnalytics } from "./AnalyticsLayer.js"
import { resolveTimeZone, terminalProgress, tz } from "./AnalyticsCommon.js"
import { printLines } from "./CliCommon.js"
import { asCsv, asJsonLines, asTable } from "./TableOutput.js"

const sql = Args.text({ name: "sql" }).pipe(Args.withDescription("one SQL query over the models (listens, daily, top_artists, ...)"))

const json = Options.boolean("json").pipe(Options.withDescription("one JSON object per line"))
const csv = Options.boolean("csv").pipe(Options.withDescription("CSV with a header line"))

export const queryCommand = Command.make("query", { sql, json, csv, tz }, ({ csv, json, sql, tz }) =>
  Effect.gen(function*() {
    const lake = yield* lakeUrl
    const zone = yield* resolveTimeZone(tz)
    const result = yield* runQuery(sql, { vars: { tz: zone }, progress: terminalProgress }).pipe(
      Effect.provide(layerAnalytics(lake.location))
    )
    yield* printLines(json ? asJsonLines(result) : csv ? asCsv(result) : asTable(result))
  })).pipe(Command.withDescription("Run SQL against the models (built first if the lake changed); prints a table, --json or --csv."))
