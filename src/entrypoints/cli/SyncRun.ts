import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { layerSync } from "../AppLayer.js"
import { cliLakeUrl } from "./CliLakeUrl.js"
import { printLines } from "./CliCommon.js"
import { describeRun } from "./RunReport.js"
import { layerCore, layerHttpClient, runSync } from "./SyncCore.js"

/** `sync`: one run against Spotify, then what it did. */
export const run = ({ json }: { readonly json: boolean }) =>
  Effect.gen(function*() {
    const lake = yield* cliLakeUrl
    const summary = yield* runSync.pipe(Effect.provide(layerSync(layerCore(lake.location)).pipe(Layer.provide(layerHttpClient))))
    yield* json ? Console.log(JSON.stringify(summary)) : printLines(describeRun(summary, lake.url))
  })
