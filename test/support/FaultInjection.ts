import { Effect, Layer, Ref } from "effect"
import { ObjectStorage } from "../../src/services/storage/ObjectStorage.js"
import type { ObjectStorageShape } from "../../src/services/storage/ObjectStorage.js"
import { TokenStore } from "../../src/services/tokens/TokenStore.js"
import type { TokenStoreShape } from "../../src/services/tokens/TokenStore.js"

/** Where the run dies: just before, or just after, its `at`-th write (counting from 1). */
export interface CrashPlan {
  readonly at: number
  readonly when: "before" | "after"
}

export interface Faults {
  readonly plan: Ref.Ref<CrashPlan | null>
  /** Writes attempted so far, by key, in order. */
  readonly writes: Ref.Ref<ReadonlyArray<string>>
  /** Set once the plan fired: the "process" is dead and touches nothing more. */
  readonly crashed: Ref.Ref<boolean>
}

export const makeFaults = Effect.all({
  plan: Ref.make<CrashPlan | null>(null),
  writes: Ref.make<ReadonlyArray<string>>([]),
  crashed: Ref.make(false)
})

/**
 * Wraps any ObjectStorage so a run "crashes" (is interrupted) at a chosen write. After the
 * crash every call of that run is refused, as a killed process would make none: its lease
 * is never released, its state never written.
 */
const guards = (faults: Faults) => {
  const dead = Effect.flatMap(Ref.get(faults.crashed), (crashed) => crashed ? Effect.interrupt : Effect.void)
  const write = <A, E>(key: string, put: Effect.Effect<A, E>) =>
    Effect.gen(function*() {
      yield* dead
      const count = (yield* Ref.updateAndGet(faults.writes, (keys) => [...keys, key])).length
      const plan = yield* Ref.get(faults.plan)
      const fires = plan !== null && plan.at === count
      if (fires && plan.when === "before") {
        yield* Ref.set(faults.crashed, true)
        return yield* Effect.interrupt
      }
      const result = yield* put
      if (fires) {
        yield* Ref.set(faults.crashed, true)
        return yield* Effect.interrupt
      }
      return result
    })
  /** Each object of a batch is one write: a crash at one lands the objects before it (and it, after). */
  const writeMany = <A, E>(keys: ReadonlyArray<string>, put: (count: number) => Effect.Effect<A, E>) =>
    Effect.gen(function*() {
      yield* dead
      const before = (yield* Ref.getAndUpdate(faults.writes, (written) => [...written, ...keys])).length
      const plan = yield* Ref.get(faults.plan)
      const at = plan === null ? -1 : plan.at - before - 1
      if (plan === null || at < 0 || at >= keys.length) return yield* put(keys.length)
      yield* Ref.update(faults.writes, (written) => written.slice(0, before + at + 1))
      yield* put(plan.when === "before" ? at : at + 1)
      yield* Ref.set(faults.crashed, true)
      return yield* Effect.interrupt
    })
  return { dead, write, writeMany }
}

export const crashingStorage = <E, R>(faults: Faults, inner: Layer.Layer<ObjectStorage, E, R>) =>
  Layer.effect(
    ObjectStorage,
    Effect.gen(function*() {
      const storage = yield* ObjectStorage
      const { dead, write, writeMany } = guards(faults)
      return {
        get: (key) => Effect.zipRight(dead, storage.get(key)),
        getBytes: (key) => Effect.zipRight(dead, storage.getBytes(key)),
        list: (prefix) => Effect.zipRight(dead, storage.list(prefix)),
        putIfAbsent: (key, body) => write(key, storage.putIfAbsent(key, body)),
        putManyIfAbsent: (objects) =>
          writeMany(objects.map((object) => object.key), (count) => storage.putManyIfAbsent(objects.slice(0, count))),
        putIfMatch: (key, body, etag) => write(key, storage.putIfMatch(key, body, etag)),
        put: (key, body) => write(key, storage.put(key, body)),
        remove: (key) => write(key, storage.remove(key))
      } satisfies ObjectStorageShape
    })
  ).pipe(Layer.provide(inner))

/** The same, for the token store: the run dies just before or after its n-th token write. */
export const crashingTokenStore = <E, R>(faults: Faults, inner: Layer.Layer<TokenStore, E, R>) =>
  Layer.effect(
    TokenStore,
    Effect.gen(function*() {
      const store = yield* TokenStore
      const { dead, write } = guards(faults)
      return {
        get: Effect.zipRight(dead, store.get),
        set: (token) => write("token", store.set(token))
      } satisfies TokenStoreShape
    })
  ).pipe(Layer.provide(inner))
