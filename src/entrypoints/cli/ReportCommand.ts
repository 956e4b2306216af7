import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { buildReport } from "../../programs/BuildReport.js"
import { lakeUrl } from "../AppLayer.js"
import { layerAnalytics } from "./AnalyticsLayer.js"
import { resolveTimeZone, terminalProgress, tz } from "./AnalyticsCommon.js"

const out = Options.file("out").pipe(Options.withDefault("report.html"), Options.withDescription("where to write the report"))

const year = Options.integer("year").pipe(
  Options.withSchema(Schema.Int.pipe(Schema.between(2000, 2100))),
  Options.optional,
  Options.withDescription("the year in review (default: the latest year with a listen)")
)

export const reportCommand = Command.make("report", { out, year, tz }, ({ out, tz, year }) =>
  Effect.gen(function*() {
    const lake = yield* lakeUrl
    const zone = yield* resolveTimeZone(tz)
    const html = yield* buildReport({ vars: { tz: zone }, year: Option.getOrUndefined(year), progress: terminalProgress }).pipe(
      Effect.provide(layerAnalytics(lake.location))
    )
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    yield* fs.writeFileString(out, html)
    yield* Console.log(`Report written to ${path.resolve(out)} (one file; it opens offline).`)
  })).pipe(Command.withDescription("Write your listening report: one self-contained HTML file that opens offline and prints well."))
