import { FileSystem, Path } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { Effect, Layer } from "effect"
import { Lake } from "../../src/services/lake/Lake.js"
import { ObjectStorage } from "../../src/services/storage/ObjectStorage.js"
import { StateStore } from "../../src/services/lake/StateStore.js"
import { layerFakeSpotify } from "./FakeSpotify.js"
import * as MemoryStorage from "../../src/services/storage/MemoryStorage.js"
import * as FileSystemStorage from "../../src/services/storage/FileSystemStorage.js"

/** Lake and state over one storage layer, exposing that storage for inspection. */
export const lakeOver = <E, R>(storage: Layer.Layer<ObjectStorage, E, R>) =>
  Layer.mergeAll(Lake.layer, StateStore.layer).pipe(Layer.provideMerge(storage))

/** A folder lake in a fresh temp directory (not created until the first write), removed with the layer. */
export const folderStorage = (prefix: string) =>
  Layer.unwrapScoped(
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const path = yield* Path.Path
      return FileSystemStorage.layer(path.join(yield* fs.makeTempDirectoryScoped({ prefix }), "lake"))
    })
  ).pipe(Layer.provide(NodeContext.layer))

/** A fresh in-memory world: memory lake + scripted Spotify. */
export const memoryWorld = () => Layer.merge(lakeOver(MemoryStorage.layer), layerFakeSpotify)
