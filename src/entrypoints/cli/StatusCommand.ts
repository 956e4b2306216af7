import * as Command from "@effect/cli/Command"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { syncStatus } from "../../programs/SyncStatus.js"
import { lakeUrl, layerLake, layerLakeStorage } from "../AppLayer.js"
import { json, printLines } from "./CliCommon.js"
import { describeStatus } from "./RunReport.js"

export const statusCommand = Command.make("status", { json }, ({ json }) =>
  Effect.gen(function*() {
    const lake = yield* lakeUrl
    const storage = layerLakeStorage(lake.location)
    const report = yield* syncStatus.pipe(Effect.provide(Layer.merge(layerLake.pipe(Layer.provide(storage)), storage)))
    yield* json ? Console.log(JSON.stringify(report)) : printLines(describeStatus(report, lake.url))
  })).pipe(
    Command.withDescription("Show the cursor, the last run, recorded gaps and the refresh token's age.")
  )
