import * as FileSystem from "@effect/platform/FileSystem"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Emulator from "../../emulator/Emulator.js"
import { zipPackage } from "../../emulator/Export.js"
import { LakeLocation } from "../../domain/LakeLocation.js"
import { demo } from "../../programs/Demo.js"
import { defaultImportOptions, importHistory } from "../../programs/ImportHistory.js"
import * as Option from "effect/Option"
import { buildReport } from "../../programs/BuildReport.js"
import { layerSync } from "../AppLayer.js"
import { resolveTimeZone, terminalProgress } from "./AnalyticsCommon.js"
import { layerAnalytics } from "./AnalyticsLayer.js"
import { printLines } from "./CliCommon.js"
import { layerCore, layerHttpClient, runSync } from "./SyncCore.js"
import { layerImport } from "./ImportLayer.js"
import { describeImport } from "./ImportReport.js"
import { describeRun } from "./RunReport.js"

/** The demo: the emulator, a fresh lake folder, syncs while the listening goes on, then the export imported. */
export const run = () =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.make({ seed: 7 })
    const fs = yield* FileSystem.FileSystem
    const lake = yield* fs.makeTempDirectory({ prefix: "spotify-pipeline-demo-" })
    yield* Console.log(`Spotify emulator: ${emulator.url}  (no account needed)\nLake folder:      ${lake}`)
    const settings = ConfigProvider.fromMap(
      new Map([
        ["SPOTIFY_CLIENT_ID", "emulator-client"],
        ["SPOTIFY_CLIENT_SECRET", "emulator-secret"],
        ["SPOTIFY_REFRESH_TOKEN", "emulator-refresh-token"],
        ["SPOTIFY_API_URL", emulator.url],
        ["SPOTIFY_ACCOUNTS_URL", emulator.url]
      ])
    )
    const listener = {
      listen: emulator.listen,
      rateLimitNext: (seconds: number) =>
        emulator.fault({ endpoint: "recently-played", kind: "rate-limit", retryAfterSeconds: seconds })
    }
    const location = LakeLocation.Folder({ path: lake })
    const core = layerCore(location)
    yield* demo(listener, runSync, lake, (summary) => describeRun(summary, "the lake")).pipe(
      Effect.provide(Layer.merge(layerSync(core), core).pipe(Layer.provide(layerHttpClient), Layer.provide(Layer.setConfigProvider(settings))))
    )
    const zip = `${yield* fs.makeTempDirectory({ prefix: "spotify-pipeline-export-" })}/my_spotify_data.zip`
    yield* fs.writeFile(zip, zipPackage(yield* emulator.exportFiles()))
    yield* Console.log(`\nWeeks later Spotify mails your privacy exports (${zip}): npm start -- import ${zip}`)
    const imported = yield* importHistory([zip], defaultImportOptions).pipe(Effect.provide(layerImport(location)))
    yield* printLines(describeImport(imported).map((line) => line === "" ? line : `  ${line}`))
    const report = `${lake}-report.html`
    const html = yield* buildReport({ vars: { tz: yield* resolveTimeZone(Option.none()) }, year: undefined, progress: terminalProgress })
      .pipe(Effect.provide(layerAnalytics(location)))
    yield* fs.writeFileString(report, html)
    yield* Console.log(
      `\nThe SQL models are built and tested (Parquet under warehouse/); ask them anything:\n  LAKE_URL=${lake} npm start -- query "SELECT artist_name, listens, minutes FROM top_artists WHERE period = 'all' ORDER BY rank_by_listens LIMIT 5"\nYour report (open it in a browser): ${report}`
    )
  }).pipe(Effect.scoped)
