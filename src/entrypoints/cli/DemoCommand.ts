import * as Command from "@effect/cli/Command"
import * as FileSystem from "@effect/platform/FileSystem"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Emulator from "../../emulator/Emulator.js"
import { LakeLocation } from "../../domain/LakeLocation.js"
import { buildReport } from "../../programs/BuildReport.js"
import { demo } from "../../programs/Demo.js"
import { layerSync } from "../AppLayer.js"
import { layerAnalytics } from "./AnalyticsLayer.js"
import { resolveTimeZone, terminalProgress } from "./AnalyticsCommon.js"
import { layerCore, runSync } from "./CliCommon.js"
import { describeRun } from "./RunReport.js"

export const demoCommand = Command.make("demo", {}, () =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.make({ seed: 7 })
    const lake = yield* FileSystem.FileSystem.pipe(
      Effect.flatMap((fs) => fs.makeTempDirectory({ prefix: "spotify-pipeline-demo-" }))
    )
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
    const core = layerCore(LakeLocation.Folder({ path: lake }))
    yield* demo(listener, runSync, lake, describeRun).pipe(
      Effect.provide(Layer.merge(layerSync(core), core).pipe(Layer.provide(Layer.setConfigProvider(settings))))
    )
    const report = `${lake}-report.html`
    const html = yield* buildReport({ vars: { tz: yield* resolveTimeZone(Option.none()) }, year: undefined, progress: terminalProgress })
      .pipe(Effect.provide(layerAnalytics(LakeLocation.Folder({ path: lake }))))
    yield* FileSystem.FileSystem.pipe(Effect.flatMap((fs) => fs.writeFileString(report, html)))
    yield* Console.log(
      `\nThe SQL models are built and tested (Parquet under warehouse/); ask them anything:\n  LAKE_URL=${lake} npm start -- query "SELECT artist_name, listens, minutes FROM top_artists WHERE period = 'all' ORDER BY rank_by_listens LIMIT 5"\nYour report (open it in a browser): ${report}`
    )
  }).pipe(Effect.scoped)).pipe(
    Command.withDescription("Run the whole pipeline against a local Spotify emulator and a fresh lake folder.")
  )
