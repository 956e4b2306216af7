import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { defaultToleranceMs } from "../../domain/exports/Reconcile.js"
import { json } from "./CliCommon.js"

const paths = Args.text({ name: "path" }).pipe(
  Args.atLeast(1),
  Args.withDescription("my_spotify_data.zip (account data, extended history, or both), an unzipped folder, or .json files")
)

const tolerance = Options.integer("tolerance").pipe(
  Options.withSchema(Schema.Int.pipe(Schema.between(0, 3600))),
  Options.withDefault(defaultToleranceMs / 1000),
  Options.withDescription("seconds between an export's end time and a live play's for them to be the same listen")
)

// Its code (zip reading, reconciliation) is a chunk of its own, loaded only when an import runs.
export const importCommand = Command.make(
  "import",
  { paths, json, tolerance },
  (config) => Effect.flatMap(Effect.promise(() => import("./ImportRun.js")), (m) => m.run(config))
).pipe(
  Command.withDescription("Import Spotify's privacy exports into the lake and reconcile them with live capture.")
)
