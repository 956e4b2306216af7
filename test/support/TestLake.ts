import { Layer } from "effect"
import { Lake } from "../../src/services/Lake.js"
import { ObjectStorage } from "../../src/services/ObjectStorage.js"
import { makeMemory } from "../../src/services/ObjectStorageMemory.js"
import { StateStore } from "../../src/services/StateStore.js"
import { layerFakeSpotify } from "./FakeSpotify.js"

/** Lake and state over one storage layer, exposing that storage for inspection. */
export const lakeOver = <E, R>(storage: Layer.Layer<ObjectStorage, E, R>) =>
  Layer.mergeAll(Lake.layer, StateStore.layer).pipe(Layer.provideMerge(storage))

export const memoryStorage = Layer.effect(ObjectStorage, makeMemory)

/** A fresh in-memory world: memory lake + scripted Spotify. */
export const memoryWorld = () => Layer.merge(lakeOver(memoryStorage), layerFakeSpotify)
