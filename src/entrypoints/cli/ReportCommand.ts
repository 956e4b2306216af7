import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { tz } from "./AnalyticsCommon.js"

const out = Options.file("out").pipe(Options.withDefault("report.html"), Options.withDescription("where to write the report"))

const year = Options.integer("year").pipe(
  Options.filterMap(
    Option.liftPredicate((value: number) => value >= 2000 && value <= 2100),
    "--year must be a year from 2000 to 2100."
  ),
  Options.optional,
  Options.withDescription("the year in review (default: the latest year with a listen)")
)

export const reportCommand = Command.make("report", { out, year, tz }, (config) =>
  Effect.flatMap(Effect.promise(() => import("./AnalyticsRun.js")), (m) => m.report(config))).pipe(
    Command.withDescription("Write your listening report: one self-contained HTML file that opens offline and prints well.")
  )
