import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { defaultToleranceMs } from "../../domain/exports/Reconcile.js"
import { json } from "./CliCommon.js"

/** The options `import` takes, for naming them when one is mistyped. */
const optionNames = ["--json", "--tolerance"] as const

/** One sentence on an option `import` does not take, naming those it does. */
const unknownOption = (given: string): string =>
  `Unknown option ${given.split("=")[0] ?? given} for import: its options are ${optionNames.join(" and ")} ` +
  `(a file whose name starts with - is given as ./${given}).`

/**
 * A path as given, or a usage error (exit code 2): an empty one names nothing, and @effect/cli
 * hands an option it does not know (`--jsn`) to the paths, so a path that looks like an option is one.
 */
const pathGiven = (path: string): Effect.Effect<string, HelpDoc.HelpDoc> =>
  path.trim() === ""
    ? Effect.fail(HelpDoc.p("An empty path was given to import: name a zip, a folder or a .json file."))
    : path.startsWith("-")
    ? Effect.fail(HelpDoc.p(unknownOption(path)))
    : Effect.succeed(path)

const paths = Args.text({ name: "path" }).pipe(
  Args.mapEffect(pathGiven),
  Args.atLeast(1),
  Args.withDescription("my_spotify_data.zip (account data, extended history, or both), an unzipped folder, or .json files")
)

const maxToleranceSeconds = 3600

const tolerance = Options.integer("tolerance").pipe(
  Options.filterMap(
    Option.liftPredicate((seconds: number) => seconds >= 0 && seconds <= maxToleranceSeconds),
    `--tolerance must be a whole number of seconds from 0 to ${maxToleranceSeconds}.`
  ),
  Options.withDefault(defaultToleranceMs / 1000),
  Options.withDescription("seconds between an export's end time and a live play's for them to be the same listen")
)

// Its code (zip reading, reconciliation) is a chunk of its own, loaded only when an import runs.
export const importCommand = Command.make(
  "import",
  { paths, json, tolerance },
  (config) => Effect.flatMap(Effect.promise(() => import("./ImportRun.js")), (m) => m.run(config))
).pipe(
  Command.withDescription("Import Spotify's privacy exports and reconcile them with live capture.")
)
