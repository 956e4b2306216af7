import { playsKey } from "../../src/services/lake/LakeLayout.js"
import type { NewObject } from "../../src/services/storage/ObjectStorage.js"

/**
 * More plays objects than a JavaScript call takes as arguments (about 125,000 on Node 24): the
 * objects of seven years of 30-minute syncs, one play each, `stepMs` apart from `fromMs`.
 */
export const manyPlaysObjects = (fromMs: number, count = 130_000, stepMs = 30 * 60_000): ReadonlyArray<NewObject> =>
  Array.from({ length: count }, (_, i) => {
    const at = fromMs + i * stepMs
    const body = `{"n":${i}}\n`
    return { key: playsKey(at, at, body), body }
  })
