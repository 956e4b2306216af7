import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as HashMap from "effect/HashMap"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import { invalidKey, isValidKey, isValidPrefix, ObjectStorage, StorageError, type StoredObject } from "./ObjectStorage.js"

interface MemoryState {
  readonly objects: HashMap.HashMap<string, StoredObject>
  readonly version: number
}

const checked = (key: string, valid: boolean) => valid ? Effect.void : Effect.fail(invalidKey(key))

const conflict = (key: string, message: string) => new StorageError({ reason: "Conflict", key, message })

const make = Effect.gen(function*() {
  const state = yield* Ref.make<MemoryState>({ objects: HashMap.empty(), version: 0 })

  const write = (key: string, body: string, allowed: (current: Option.Option<StoredObject>) => StorageError | undefined) =>
    Ref.modify(state, (s): [Either.Either<{ readonly etag: string }, StorageError>, MemoryState] => {
      const refused = allowed(HashMap.get(s.objects, key))
      if (refused !== undefined) return [Either.left(refused), s]
      const version = s.version + 1
      const etag = `"m${version}"`
      return [Either.right({ etag }), { objects: HashMap.set(s.objects, key, { body, etag }), version }]
    }).pipe(Effect.flatten)

  return {
    get: Effect.fn("ObjectStorage.get")(function*(key: string) {
      yield* checked(key, isValidKey(key))
      const s = yield* Ref.get(state)
      return HashMap.get(s.objects, key)
    }),
    list: Effect.fn("ObjectStorage.list")(function*(prefix: string) {
      yield* checked(prefix, isValidPrefix(prefix))
      const s = yield* Ref.get(state)
      return Array.from(HashMap.keys(s.objects)).filter((key) => key.startsWith(prefix)).sort()
    }),
    putIfAbsent: Effect.fn("ObjectStorage.putIfAbsent")(function*(key: string, body: string) {
      yield* checked(key, isValidKey(key))
      return yield* write(key, body, (current) =>
        Option.isSome(current) ? conflict(key, `Object ${key} already exists`) : undefined)
    }),
    putIfMatch: Effect.fn("ObjectStorage.putIfMatch")(function*(key: string, body: string, etag: string) {
      yield* checked(key, isValidKey(key))
      return yield* write(key, body, (current) =>
        Option.match(current, {
          onNone: () => conflict(key, `Object ${key} does not exist`),
          onSome: (object) =>
            object.etag === etag ? undefined : conflict(key, `Object ${key} changed (expected version ${etag})`)
        }))
    })
  } satisfies typeof ObjectStorage.Service
})

/** A fresh, empty store per layer build; every conditional put is one `Ref.modify`, so racing fibers see one winner. */
export const layer: Layer.Layer<ObjectStorage> = Layer.effect(ObjectStorage, make)
