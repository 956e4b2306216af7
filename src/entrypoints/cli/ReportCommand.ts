import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { tz } from "./AnalyticsCommon.js"

const out = Options.file("out").pipe(Options.withDefault("report.html"), Options.withDescription("where to write the report"))

const year = Options.integer("year").pipe(
  Options.withSchema(Schema.Int.pipe(Schema.between(2000, 2100))),
  Options.optional,
  Options.withDescription("the year in review (default: the latest year with a listen)")
)

export const reportCommand = Command.make("report", { out, year, tz }, (config) =>
  Effect.flatMap(Effect.promise(() => import("./AnalyticsRun.js")), (m) => m.report(config))).pipe(
    Command.withDescription("Write your listening report: one self-contained HTML file that opens offline and prints well.")
  )
