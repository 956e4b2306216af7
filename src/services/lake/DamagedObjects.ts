import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { type Body, bytesOf, type ObjectStorageShape, type StorageError } from "../storage/ObjectStorage.js"
import { damagedPrefix } from "./LakeLayout.js"

/**
 * Moves `key`, an object that no longer decodes and would stop every run, to
 * `state/damaged/<name>-<atMs>.json` as it was (create-only), so that a run can write it again;
 * the key it was kept under. `refuse` may say, from the body, why this one is not damaged after all
 * (then it stays where it is).
 */
export const setAsideDamaged = (
  storage: ObjectStorageShape,
  key: string,
  name: string,
  atMs: number,
  refuse: (body: string) => StorageError | undefined = () => undefined
) =>
  Effect.gen(function*() {
    const kept = `${damagedPrefix}${name}-${atMs}.json`
    const current = yield* storage.get(key)
    if (Option.isNone(current)) return kept
    const refused = refuse(current.value.body)
    if (refused !== undefined) return yield* Effect.fail(refused)
    // The same body kept by a run that died before removing the original: kept already.
    yield* storage.putIfAbsent(kept, current.value.body).pipe(Effect.catchIf((error) => error.reason === "Conflict", () => Effect.void))
    yield* storage.remove(key)
    return kept
  })

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((byte, i) => byte === b[i])

/**
 * For a create-only data object (its name from its content) whose key was found taken: when the
 * stored bytes are not `body`, which no other body named so can be, the object was damaged (by
 * hand or by the disk): it is kept as it was under `state/damaged/<dataset>-<object>-<atMs>.json`
 * (`plays-<first_ms>-<last_ms>-<hash>-...`) and `body`, what its name promises, written in its
 * place. Whether it was written.
 */
export const restoreIfDamaged = (storage: ObjectStorageShape, key: string, body: Body, atMs: number) =>
  Effect.gen(function*() {
    const name = `${key.split("/")[0]}-${(key.split("/").at(-1) ?? "").replace(/\.[a-z.]+$/, "")}`
    const stored = yield* storage.getBytes(key)
    if (Option.isNone(stored)) {
      yield* storage.putIfAbsent(key, body)
      return true
    }
    if (sameBytes(stored.value.bytes, bytesOf(body))) return false
    const kept = `${damagedPrefix}${name}-${atMs}.json`
    yield* storage.putIfAbsent(kept, stored.value.bytes).pipe(Effect.catchIf((error) => error.reason === "Conflict", () => Effect.void))
    yield* storage.putIfMatch(key, body, stored.value.etag)
    yield* Effect.logWarning(`${key} did not hold what its name says (damaged by hand or by the disk?): kept as ${kept}, and written again whole`)
    return true
  })
