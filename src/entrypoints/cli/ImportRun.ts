import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import { importHistory } from "../../programs/ImportHistory.js"
import { cliLakeUrl } from "./CliLakeUrl.js"
import { printLines } from "./CliCommon.js"
import { layerImport } from "./ImportLayer.js"
import { describeImport } from "./ImportReport.js"
import { progressBar } from "./ProgressBar.js"

/** Imports the exports at `paths` into the lake at `LAKE_URL`, with a progress bar on a terminal, then the breakdown. */
export const run = ({ json, paths, tolerance }: { readonly json: boolean; readonly paths: ReadonlyArray<string>; readonly tolerance: number }) =>
  Effect.gen(function*() {
    const lake = yield* cliLakeUrl
    const bar = progressBar(process.stderr)
    const summary = yield* importHistory(paths, { toleranceMs: tolerance * 1000, progress: bar.update }).pipe(
      Effect.ensuring(bar.clear),
      Effect.provide(layerImport(lake.location))
    )
    yield* json ? Console.log(JSON.stringify(summary)) : printLines(describeImport(summary))
  })
