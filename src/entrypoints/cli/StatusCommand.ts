import * as Command from "@effect/cli/Command"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { historyCoverage } from "../../programs/HistoryCoverage.js"
import { syncStatus } from "../../programs/SyncStatus.js"
import { ExportLake } from "../../services/exportlake/ExportLake.js"
import { lakeUrl, layerLake } from "../LakeLayer.js"
import { layerLakeStorage } from "./LakeStorage.js"
import { json, printLines } from "./CliCommon.js"
import { describeCoverage } from "./ImportReport.js"
import { describeStatus } from "./RunReport.js"

export const statusCommand = Command.make("status", { json }, ({ json }) =>
  Effect.gen(function*() {
    const lake = yield* lakeUrl
    const storage = layerLakeStorage(lake.location)
    const report = yield* syncStatus.pipe(Effect.provide(Layer.merge(layerLake.pipe(Layer.provide(storage)), storage)))
    const coverage = yield* historyCoverage.pipe(Effect.provide(ExportLake.layer.pipe(Layer.provide(storage))))
    yield* json
      ? Console.log(JSON.stringify({ ...report, coverage }))
      : printLines([...describeStatus(report, lake.url), ...describeCoverage(coverage)])
  })).pipe(
    Command.withDescription("Show the cursor, the last run, recorded gaps, the refresh token's age and the history's coverage.")
  )
