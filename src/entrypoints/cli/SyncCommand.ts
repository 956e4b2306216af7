import * as Command from "@effect/cli/Command"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { lakeUrl, layerSync } from "../AppLayer.js"
import { json, layerCore, layerHttpClient, printLines, runSync } from "./CliCommon.js"
import { describeRun } from "./RunReport.js"

export const syncCommand = Command.make("sync", { json }, ({ json }) =>
  Effect.gen(function*() {
    const lake = yield* lakeUrl
    const summary = yield* runSync.pipe(Effect.provide(layerSync(layerCore(lake.location)).pipe(Layer.provide(layerHttpClient))))
    yield* json ? Console.log(JSON.stringify(summary)) : printLines(describeRun(summary, lake.url))
  })).pipe(Command.withDescription("Capture the plays Spotify shows now into the lake (one run)."))
