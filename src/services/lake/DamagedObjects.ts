import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { type Body, bytesOf, type ObjectStorageShape, type StorageError } from "../storage/ObjectStorage.js"
import { damagedPrefix } from "./LakeLayout.js"

/** What a damaged object held, as read, and its version. */
interface Found {
  readonly body: Body
  readonly etag: string
}

/** `body` kept under `kept`, create-only: the same body kept by a run that died before going on is kept already. */
const keepCopy = (storage: ObjectStorageShape, kept: string, body: Body) =>
  storage.putIfAbsent(kept, body).pipe(Effect.asVoid, Effect.catchIf((error) => error.reason === "Conflict", () => Effect.void))

/**
 * Keeps `found` (what `key` held) under `kept` (`keepCopy`), then writes `replacement` in its place
 * by compare-and-swap on the damaged version, deleting nothing (the Lambda function's role may
 * not); with `found` none (the object gone), it is created. The version now at `key`.
 */
const keepAndReplace = (storage: ObjectStorageShape, key: string, found: Option.Option<Found>, kept: string, replacement: Body) =>
  Effect.gen(function*() {
    if (Option.isNone(found)) return (yield* storage.putIfAbsent(key, replacement)).etag
    yield* keepCopy(storage, kept, found.value.body)
    return (yield* storage.putIfMatch(key, replacement, found.value.etag)).etag
  })

const keptKey = (name: string, atMs: number) => `${damagedPrefix}${name}-${atMs}.json`

/**
 * `key`, an object that no longer decodes and would stop every run, kept as it was under
 * `state/damaged/<name>-<atMs>.json` and `replacement` written in its place (see `keepAndReplace`).
 * `refuse` may say, from the body, why this one is not damaged after all (then nothing is kept,
 * and the object stays as it is). The key it was kept under, and the version now at `key`.
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
    const found = yield* storage.get(key)
    if (Option.isSome(found)) {
      const refused = refuse(found.value.body)
      if (refused !== undefined) return yield* Effect.fail(refused)
    }
    const kept = keptKey(name, atMs)
    return { kept, version: yield* keepAndReplace(storage, key, found, kept, replacement) }
  })

/** A damaged object kept as it was (create-only) and removed, for a run to create it again (an import, with your own credentials). */
export const removeDamaged = (storage: ObjectStorageShape, key: string, name: string, atMs: number) =>
  Effect.gen(function*() {
    const kept = keptKey(name, atMs)
    const found = yield* storage.get(key)
    if (Option.isNone(found)) return kept
    yield* keepCopy(storage, kept, found.value.body)
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
    const stored = yield* storage.getBytes(key)
    if (Option.isSome(stored) && sameBytes(stored.value.bytes, bytesOf(body))) return false
    const kept = keptKey(`${key.split("/")[0]}-${(key.split("/").at(-1) ?? "").replace(/\.[a-z.]+$/, "")}`, atMs)
    yield* keepAndReplace(storage, key, Option.map(stored, ({ bytes, etag }) => ({ body: bytes, etag })), kept, body)
    if (Option.isSome(stored)) {
      yield* Effect.logWarning(`${key} did not hold what its name says (damaged by hand or by the disk?): kept as ${kept}, and written again whole`)
    }
    return true
  })
