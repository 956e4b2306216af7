import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { ObjectStorage } from "./ObjectStorage.js"

/**
 * The store with each prefix listed and each object read at most once for the layer's life, for
 * a command that only reads (`status`): two of its questions list the whole of plays/ and read
 * the latest gaps, and on S3 each listing of years of syncs is tens of requests. Writes pass
 * through; a listing or a read does not see what is written after it.
 */
export const layerReadOnce: Layer.Layer<ObjectStorage, never, ObjectStorage> = Layer.effect(
  ObjectStorage,
  Effect.gen(function*() {
    const storage = yield* ObjectStorage
    const list = yield* Effect.cachedFunction(storage.list)
    const get = yield* Effect.cachedFunction(storage.get)
    return { ...storage, list, get }
  })
)
