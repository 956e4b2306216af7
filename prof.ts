import * as NodeContext from "@effect/platform-node/NodeContext"
import { Effect, Layer } from "effect"
import { AnalyticsProject } from "./src/services/analytics/AnalyticsProject.js"
import * as DuckDbEngine from "./src/services/analytics/DuckDbEngine.js"
import * as FolderLakeFiles from "./src/services/analytics/FolderLakeFiles.js"
import * as FileSystemStorage from "./src/services/storage/FileSystemStorage.js"
import { buildModels } from "./src/programs/BuildModels.js"
const lake = process.argv[2]!
const layer = Layer.mergeAll(AnalyticsProject.layer("analytics"), FolderLakeFiles.layer(lake).pipe(Layer.provide(FileSystemStorage.layer(lake))), DuckDbEngine.layer()).pipe(Layer.provide(NodeContext.layer))
let last = performance.now()
Effect.gen(function*() {
  const r = yield* buildModels({ vars: { tz: "Europe/Paris" }, testAlways: true, progress: (l) => Effect.sync(() => { const now = performance.now(); console.log(((now - last)).toFixed(0).padStart(7), "ms before:", l); last = now }) })
}).pipe(Effect.provide(layer), Effect.scoped, Effect.runPromise).catch((e) => { console.error("FAILED", e); process.exitCode = 1 })
