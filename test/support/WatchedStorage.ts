import { Effect, Layer } from "effect"
import { ObjectStorage } from "../../src/services/storage/ObjectStorage.js"

/** The store in context, as a layer that records the prefixes listed and the keys read, in order. */
export const watchedStorage = Effect.gen(function*() {
  const storage = yield* ObjectStorage
  const listed: Array<string> = []
  const read: Array<string> = []
  const layer = Layer.succeed(ObjectStorage, {
    ...storage,
    list: (prefix) => Effect.suspend(() => (listed.push(prefix), storage.list(prefix))),
    get: (key) => Effect.suspend(() => (read.push(key), storage.get(key)))
  })
  return { layer, listed, read }
})
