import * as Command from "@effect/cli/Command"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { historyCoverage, holdsImports } from "../../programs/HistoryCoverage.js"
import { syncStatus } from "../../programs/SyncStatus.js"
import { ExportLake } from "../../services/exportlake/ExportLake.js"
import { layerReadOnce } from "../../services/storage/ReadOnce.js"
import type { ObjectStorage } from "../../services/storage/ObjectStorage.js"
import type { TokenStore } from "../../services/tokens/TokenStore.js"
import { layerLake } from "../LakeLayer.js"
import { cliLakeUrl } from "./CliLakeUrl.js"
import { layerLakeStorage } from "./LakeStorage.js"
import { json, printLines } from "./CliCommon.js"
import { describeCoverage } from "./ImportReport.js"
import { describeStatus } from "./RunReport.js"

/** What status asks, over one store with each prefix listed and each object read once: its two questions overlap. */
export const statusPorts = <E, R>(storage: Layer.Layer<ObjectStorage | TokenStore, E, R>) =>
  Layer.mergeAll(layerLake, ExportLake.layer).pipe(Layer.provide(layerReadOnce), Layer.provideMerge(storage))

export const statusCommand = Command.make("status", { json }, ({ json }) =>
  Effect.gen(function*() {
    const lake = yield* cliLakeUrl
    const [report, coverage] = yield* Effect.all([syncStatus, historyCoverage]).pipe(
      Effect.provide(statusPorts(layerLakeStorage(lake.location)))
    )
    // One list of damaged objects, the ledger's and the import records'.
    const { damaged, ...covered } = coverage
    const whole = { ...report, damaged: [...report.damaged, ...damaged] }
    yield* json
      ? Console.log(JSON.stringify({ ...whole, coverage: covered }))
      : printLines([...describeStatus(whole, lake.url, holdsImports(coverage)), ...describeCoverage(coverage, whole.kept_damaged)])
  })).pipe(
    Command.withDescription("Show the cursor, the last run, recorded gaps, the refresh token's age and the history's coverage.")
  )
