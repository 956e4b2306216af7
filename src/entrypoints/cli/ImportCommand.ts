import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { defaultToleranceMs } from "../../domain/exports/Reconcile.js"
import { importHistory } from "../../programs/ImportHistory.js"
import { lakeUrl } from "../AppLayer.js"
import { json, layerImport, printLines } from "./CliCommon.js"
import { describeImport } from "./ImportReport.js"
import { progressBar } from "./ProgressBar.js"

const paths = Args.text({ name: "path" }).pipe(
  Args.atLeast(1),
  Args.withDescription("my_spotify_data.zip (account data, extended history, or both), an unzipped folder, or .json files")
)

const tolerance = Options.integer("tolerance").pipe(
  Options.withSchema(Schema.Int.pipe(Schema.between(0, 3600))),
  Options.withDefault(defaultToleranceMs / 1000),
  Options.withDescription("seconds between an export's end time and a live play's for them to be the same listen")
)

export const importCommand = Command.make("import", { paths, json, tolerance }, ({ json, paths, tolerance }) =>
  Effect.gen(function*() {
    const lake = yield* lakeUrl
    const bar = progressBar(process.stderr)
    const summary = yield* importHistory(paths, { toleranceMs: tolerance * 1000, progress: bar.update }).pipe(
      Effect.ensuring(bar.clear),
      Effect.provide(layerImport(lake.location))
    )
    yield* json ? Console.log(JSON.stringify(summary)) : printLines(describeImport(summary))
  })).pipe(
    Command.withDescription("Import Spotify's privacy exports into the lake and reconcile them with live capture.")
  )
