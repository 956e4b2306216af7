import * as Command from "@effect/cli/Command"
import * as Effect from "effect/Effect"
import { tz } from "./AnalyticsCommon.js"
import { json } from "./CliCommon.js"

// The analytics commands' code (DuckDB among it) is a chunk of its own, loaded only when one runs.
export const modelsCommand = Command.make("models", { json, tz }, (config) =>
  Effect.flatMap(Effect.promise(() => import("./AnalyticsRun.js")), (m) => m.models(config))).pipe(
    Command.withDescription("Build and test the SQL models over the lake, and write them as Parquet under warehouse/ (only what changed).")
  )
