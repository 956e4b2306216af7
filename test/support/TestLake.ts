import { NodeContext } from "@effect/platform-node"
import { Effect, Layer } from "effect"
import { join } from "node:path"
import { Lake } from "../../src/services/lake/Lake.js"
import { ObjectStorage } from "../../src/services/storage/ObjectStorage.js"
import { StateStore } from "../../src/services/lake/StateStore.js"
import { layerFakeSpotify } from "./FakeSpotify.js"
import { tempDir } from "./TempDir.js"
import * as MemoryStorage from "../../src/services/storage/MemoryStorage.js"
import * as FileSystemStorage from "../../src/services/storage/FileSystemStorage.js"

/** Lake and state over one storage layer, exposing that storage for inspection. */
export const lakeOver = <E, R>(storage: Layer.Layer<ObjectStorage, E, R>) =>
  Layer.mergeAll(Lake.layer, StateStore.layer).pipe(Layer.provideMerge(storage))

/** A folder lake in a fresh temp directory (not created until the first write), removed with the layer. */
export const folderStorage = (prefix: string) =>
  Layer.unwrapScoped(Effect.map(tempDir(prefix), (dir) => FileSystemStorage.layer(join(dir, "lake")))).pipe(
    Layer.provide(NodeContext.layer)
  )

/** A fresh in-memory world: memory lake + scripted Spotify. */
export const memoryWorld = () => Layer.merge(lakeOver(MemoryStorage.layer), layerFakeSpotify)
