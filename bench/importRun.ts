// One measured import in a process of its own (so its peak RSS is the import's): `import` runs
// `importHistory` from the zip into a fresh folder lake; `parse` only reads, inflates and turns
// every file into rows, without the lake. Prints one JSON line.
import { NodeContext } from "@effect/platform-node"
import { Effect, Either, Layer } from "effect"
import { exportFileRows } from "../src/domain/exports/ExportFileRows.js"
import { formatOfName } from "../src/domain/exports/ExportFormat.js"
import { defaultImportOptions, importHistory } from "../src/programs/ImportHistory.js"
import { ExportFiles } from "../src/services/exportfiles/ExportFiles.js"
import * as LocalExportFiles from "../src/services/exportfiles/LocalExportFiles.js"
import { ExportLake } from "../src/services/exportlake/ExportLake.js"
import { StateStore } from "../src/services/lake/StateStore.js"
import * as FileSystemStorage from "../src/services/storage/FileSystemStorage.js"

const [mode, zip, lake] = process.argv.slice(2)
if (zip === undefined || lake === undefined) throw new Error("usage: importRun.ts import|parse <zip> <lake folder>")

const parseOnly = Effect.gen(function*() {
  const files = yield* ExportFiles
  let rows = 0
  for (const file of yield* files.list([zip])) {
    const format = formatOfName(file.name)
    if (format === undefined) continue
    const content = yield* files.read(file)
    rows += Either.getOrThrow(exportFileRows(file.name, format, content.bytes)).records
  }
  return rows
})

const work = mode === "parse" ? parseOnly : Effect.map(importHistory([zip], defaultImportOptions), (summary) => summary.rows)
const layer = Layer.mergeAll(Layer.merge(ExportLake.layer, StateStore.layer).pipe(Layer.provide(FileSystemStorage.layer(lake))), LocalExportFiles.layer()).pipe(
  Layer.provide(NodeContext.layer)
)
const started = performance.now()
const rows = await Effect.runPromise(work.pipe(Effect.provide(layer)))
const ms = performance.now() - started
process.stdout.write(`${JSON.stringify({ mode, rows, ms, maxRssKb: process.resourceUsage().maxRSS })}\n`)
