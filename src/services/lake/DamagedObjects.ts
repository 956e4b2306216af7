import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { type Body, bytesOf, type ObjectStorageShape, type StorageError } from "../storage/ObjectStorage.js"
import { damagedPrefix } from "./LakeLayout.js"

/**
 * Keeps `key`, an object that no longer decodes and would stop every run, as it was under
 * `state/damaged/<name>-<atMs>.json` (create-only): the key it was kept under, and the damaged
 * version (none when the object is gone). `refuse` may say, from the body, why this one is not
 * damaged after all (then nothing is kept, and the object stays as it is).
 */
const keepDamaged = (
  storage: ObjectStorageShape,
  key: string,
  name: string,
  atMs: number,
  refuse: (body: string) => StorageError | undefined
) =>
  Effect.gen(function*() {
    const kept = `${damagedPrefix}${name}-${atMs}.json`
    const current = yield* storage.get(key)
    if (Option.isNone(current)) return { kept, etag: Option.none<string>() }
    const refused = refuse(current.value.body)
    if (refused !== undefined) return yield* Effect.fail(refused)
    // The same body kept by a run that died before replacing the original: kept already.
    yield* storage.putIfAbsent(kept, current.value.body).pipe(Effect.catchIf((error) => error.reason === "Conflict", () => Effect.void))
    return { kept, etag: Option.some(current.value.etag) }
  })

/**
 * A damaged object kept aside (see `keepDamaged`) and `replacement` written in its place by
 * compare-and-swap: nothing is deleted, which the Lambda function's role may not do. The key it
 * was kept under, and the version now at `key`.
 */
export const replaceDamaged = (
  storage: ObjectStorageShape,
  key: string,
  name: string,
  atMs: number,
  replacement: Body,
  refuse: (body: string) => StorageError | undefined = () => undefined
) =>
  Effect.gen(function*() {
    const { etag, kept } = yield* keepDamaged(storage, key, name, atMs, refuse)
    const written = yield* Option.match(etag, {
      onNone: () => storage.putIfAbsent(key, replacement),
      onSome: (damaged) => storage.putIfMatch(key, replacement, damaged)
    })
    return { kept, version: written.etag }
  })

/** A damaged object kept aside (see `keepDamaged`) and removed, for a run to create it again (an import, with your own credentials). */
export const removeDamaged = (storage: ObjectStorageShape, key: string, name: string, atMs: number) =>
  Effect.gen(function*() {
    const { etag, kept } = yield* keepDamaged(storage, key, name, atMs, () => undefined)
    if (Option.isSome(etag)) yield* storage.remove(key)
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
