import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { ObjectStorage } from "./ObjectStorage.js"

/**
 * The store with each prefix listed at most once for the layer's life, for a command that only
 * reads (`status`): two of its questions list the whole of plays/, and on S3 the listing of
 * years of syncs is tens of requests. Everything else passes through; a listing does not see
 * what is written after it.
 */
export const layerListedOnce: Layer.Layer<ObjectStorage, never, ObjectStorage> = Layer.effect(
  ObjectStorage,
  Effect.gen(function*() {
    const storage = yield* ObjectStorage
    const list = yield* Effect.cachedFunction(storage.list)
    return { ...storage, list }
  })
)
