import { EpochMs } from "../../src/domain/Instant.js"
import { Track } from "../../src/domain/RecentlyPlayedPage.js"
import { FileSystem, Path } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { Effect, Layer, Option, Schema } from "effect"
import { type Play, playFromItem } from "../../src/domain/Play.js"
import * as Catalog from "../../src/emulator/Catalog.js"
import { defaultStartMs } from "../../src/emulator/Emulator.js"
import { type ExportOptions, exportFiles, type PackageFile, zipPackage } from "../../src/emulator/Export.js"
import * as Switches from "../../src/emulator/Switches.js"
import * as Timeline from "../../src/emulator/Timeline.js"
import { tempDir } from "./TempDir.js"
import { type ImportOptions, defaultImportOptions, importHistory } from "../../src/programs/ImportHistory.js"
import { StateStore } from "../../src/services/lake/StateStore.js"
import * as LocalExportFiles from "../../src/services/exportfiles/LocalExportFiles.js"
import type { ExportLimits } from "../../src/services/exportfiles/ExportFiles.js"
import { ExportLake } from "../../src/services/exportlake/ExportLake.js"
import { Lake } from "../../src/services/lake/Lake.js"
import { ObjectStorage } from "../../src/services/storage/ObjectStorage.js"

/** A simulated listener: the emulator's catalog and timeline, without its server. */
export interface Listener {
  readonly seed: number
  readonly catalog: Catalog.Catalog
  readonly timeline: Timeline.Timeline
}

export const listener = (seed: number, plays: number): Listener => {
  const catalog = Catalog.make(seed)
  const [, timeline] = Timeline.listen(Timeline.empty(seed), catalog, plays, Switches.defaults, defaultStartMs)
  return { seed, catalog, timeline }
}

export const listenMore = (who: Listener, plays: number): Listener => {
  const [, timeline] = Timeline.listen(who.timeline, who.catalog, plays, Switches.defaults, defaultStartMs)
  return { ...who, timeline }
}

export const filesOf = (who: Listener, options: ExportOptions = {}) =>
  exportFiles(who.catalog, who.timeline.plays, who.seed, defaultStartMs, options)

/** The plays as live capture lands them. */
export const livePlays = (who: Listener, plays = who.timeline.plays): ReadonlyArray<Play> =>
  plays.map((play) => {
    const track = who.catalog.tracks[play.trackIndex]
    if (track === undefined) throw new Error(`no track ${play.trackIndex}`)
    return playFromItem({ track: Schema.decodeUnknownSync(Track)(track), played_at: EpochMs.make(play.playedAtMs), context: null })
  })

/** A temp folder for export files, removed with the scope. */
export const scratch = tempDir("export-")

export const writeBytes = (file: string, bytes: Uint8Array) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    yield* fs.makeDirectory(path.dirname(file), { recursive: true })
    yield* fs.writeFile(file, bytes)
    return file
  }).pipe(Effect.provide(NodeContext.layer), Effect.orDie)

export const writeZip = (dir: string, files: ReadonlyArray<PackageFile>, name = "my_spotify_data.zip") =>
  writeBytes(`${dir}/${name}`, zipPackage(files, 1))

export const writeFolder = (dir: string, files: ReadonlyArray<PackageFile>) =>
  Effect.forEach(files, (file) => writeBytes(`${dir}/${file.path}`, file.content)).pipe(Effect.as(dir))

/** The import's ports, and the live side (Lake) to seed plays and gaps, over one storage. */
export const importWorld = <E, R>(storage: Layer.Layer<ObjectStorage, E, R>, limits?: ExportLimits) =>
  Layer.mergeAll(ExportLake.layer, Lake.layer, StateStore.layer, LocalExportFiles.layer(limits).pipe(Layer.provide(NodeContext.layer))).pipe(
    Layer.provideMerge(storage)
  )

export const runImport = (paths: ReadonlyArray<string>, options: Partial<ImportOptions> = {}) =>
  importHistory(paths, { ...defaultImportOptions, ...options })

/** Every object in the lake with its body. */
export const snapshot = Effect.gen(function*() {
  const storage = yield* ObjectStorage
  const keys = yield* storage.list("")
  return yield* Effect.forEach(keys, (key) => Effect.map(storage.get(key), (o) => [key, Option.getOrThrow(o).body] as const))
})

/**
 * The same without the lease, which names the last run that held the lake: who ran and when, not
 * what an import leaves (two clean runs of the same import leave different leases).
 */
export const snapshotButLease = Effect.map(snapshot, (objects) => objects.filter(([key]) => key !== "state/lease.json"))

export const lines = (prefix: string) =>
  Effect.gen(function*() {
    const storage = yield* ObjectStorage
    const keys = yield* storage.list(prefix)
    const bodies = yield* Effect.forEach(keys, (key) => Effect.map(storage.get(key), (o) => Option.getOrThrow(o).body))
    return bodies.flatMap((body) => body.split("\n").filter((line) => line !== "")).map((line): unknown => JSON.parse(line))
  })
