import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as HashMap from "effect/HashMap"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import {
  batchProblem,
  type Body,
  bytesOf,
  invalidKey,
  isValidKey,
  isValidPrefix,
  type NewObject,
  ObjectStorage,
  type PutOutcome,
  StorageError,
  type StoredBytes,
  textOf
} from "./ObjectStorage.js"

interface MemoryState {
  readonly objects: HashMap.HashMap<string, StoredBytes>
  readonly version: number
}

const checked = (key: string, valid: boolean) => valid ? Effect.void : Effect.fail(invalidKey(key))

const conflict = (key: string, message: string) => new StorageError({ reason: "Conflict", key, message })

// A copy: the caller may reuse its buffer.
const stored = (body: Body, version: number): StoredBytes => ({ bytes: Uint8Array.from(bytesOf(body)), etag: `"m${version}"` })

const make = Effect.gen(function*() {
  const state = yield* Ref.make<MemoryState>({ objects: HashMap.empty(), version: 0 })

  // Every write is one `Ref.modify`, so racing fibers see one winner.
  const write = (key: string, body: Body, allowed: (current: Option.Option<StoredBytes>) => StorageError | undefined) =>
    checked(key, isValidKey(key)).pipe(
      Effect.zipRight(Ref.modify(state, (s): [Either.Either<{ readonly etag: string }, StorageError>, MemoryState] => {
        const refused = allowed(HashMap.get(s.objects, key))
        if (refused !== undefined) return [Either.left(refused), s]
        const version = s.version + 1
        const object = stored(body, version)
        return [Either.right({ etag: object.etag }), { objects: HashMap.set(s.objects, key, object), version }]
      })),
      Effect.flatten
    )

  const getBytes = Effect.fn("ObjectStorage.getBytes")(function*(key: string) {
    yield* checked(key, isValidKey(key))
    const s = yield* Ref.get(state)
    return HashMap.get(s.objects, key)
  })

  return {
    get: Effect.fn("ObjectStorage.get")(function*(key: string) {
      const found = yield* getBytes(key)
      if (Option.isNone(found)) return Option.none()
      return Option.some({ body: yield* textOf(key, found.value.bytes), etag: found.value.etag })
    }),
    getBytes,
    list: Effect.fn("ObjectStorage.list")(function*(prefix: string) {
      yield* checked(prefix, isValidPrefix(prefix))
      const s = yield* Ref.get(state)
      return Array.from(HashMap.keys(s.objects)).filter((key) => key.startsWith(prefix)).sort()
    }),
    putIfAbsent: Effect.fn("ObjectStorage.putIfAbsent")(function*(key: string, body: Body) {
      return yield* write(key, body, (current) => Option.isSome(current) ? conflict(key, `Object ${key} already exists`) : undefined)
    }),
    putManyIfAbsent: Effect.fn("ObjectStorage.putManyIfAbsent")(function*(objects: ReadonlyArray<NewObject>) {
      const problem = batchProblem(objects)
      if (problem !== undefined) return yield* Effect.fail(problem)
      return yield* Ref.modify(state, (s): [ReadonlyArray<PutOutcome>, MemoryState] => {
        let { objects: all, version } = s
        const outcomes = objects.map(({ body, key }): PutOutcome => {
          if (HashMap.has(all, key)) return "exists"
          version += 1
          all = HashMap.set(all, key, stored(body, version))
          return "created"
        })
        return [outcomes, { objects: all, version }]
      })
    }),
    putIfMatch: Effect.fn("ObjectStorage.putIfMatch")(function*(key: string, body: Body, etag: string) {
      return yield* write(key, body, (current) =>
        Option.match(current, {
          onNone: () => conflict(key, `Object ${key} does not exist`),
          onSome: (object) =>
            object.etag === etag ? undefined : conflict(key, `Object ${key} changed (expected version ${etag})`)
        }))
    }),
    put: Effect.fn("ObjectStorage.put")(function*(key: string, body: Body) {
      return yield* write(key, body, () => undefined)
    }),
    remove: Effect.fn("ObjectStorage.remove")(function*(key: string) {
      yield* checked(key, isValidKey(key))
      yield* Ref.update(state, (s) => ({ ...s, objects: HashMap.remove(s.objects, key) }))
    })
  } satisfies typeof ObjectStorage.Service
})

/** A fresh, empty store per layer build. */
export const layer: Layer.Layer<ObjectStorage> = Layer.effect(ObjectStorage, make)
