import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import * as Effect from "effect/Effect"
import { tz } from "./AnalyticsCommon.js"

const sql = Args.text({ name: "sql" }).pipe(
  Args.mapEffect((text) => text.trim() === "" ? Effect.fail(HelpDoc.p("No SQL was given: query runs one SQL query.")) : Effect.succeed(text)),
  Args.withDescription("one SQL query over the models (listens, daily, top_artists, ...)")
)

const json = Options.boolean("json").pipe(Options.withDescription("one JSON object per line"))
const csv = Options.boolean("csv").pipe(Options.withDescription("CSV with a header line"))

/** One output format: both flags at once would leave one of them silently unheeded. */
const format = Options.all({ json, csv }).pipe(
  Options.mapEffect((chosen) =>
    chosen.json && chosen.csv
      ? Effect.fail(ValidationError.invalidValue(HelpDoc.p("Choose one of --json and --csv, not both.")))
      : Effect.succeed(chosen)
  )
)

export const queryCommand = Command.make("query", { sql, format, tz }, ({ format, ...config }) =>
  Effect.flatMap(Effect.promise(() => import("./AnalyticsRun.js")), (m) => m.query({ ...config, ...format }))).pipe(
    Command.withDescription("Run SQL against the models (built first if the lake changed); prints a table, --json or --csv.")
  )
