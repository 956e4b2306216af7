import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import { tz } from "./AnalyticsCommon.js"

const sql = Args.text({ name: "sql" }).pipe(Args.withDescription("one SQL query over the models (listens, daily, top_artists, ...)"))

const json = Options.boolean("json").pipe(Options.withDescription("one JSON object per line"))
const csv = Options.boolean("csv").pipe(Options.withDescription("CSV with a header line"))

export const queryCommand = Command.make("query", { sql, json, csv, tz }, (config) =>
  Effect.flatMap(Effect.promise(() => import("./AnalyticsRun.js")), (m) => m.query(config))).pipe(
    Command.withDescription("Run SQL against the models (built first if the lake changed); prints a table, --json or --csv.")
  )
