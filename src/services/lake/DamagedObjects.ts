import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { ObjectStorageShape, StorageError } from "../storage/ObjectStorage.js"
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
