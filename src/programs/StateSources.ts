import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { fingerprint } from "../domain/analytics/Fingerprint.js"
import { lakeSources } from "../domain/analytics/LakeSources.js"
import { LakeFiles } from "../services/analytics/LakeFiles.js"
import { type DamagedObject, decodeStored } from "../services/lake/LakeCodec.js"

export interface StateSources {
  /** Per state source, the objects that decode: the only ones the models read. */
  readonly readable: ReadonlyMap<string, ReadonlyArray<string>>
  /** Per state source, a fingerprint of what its readable objects hold. */
  readonly prints: ReadonlyMap<string, string>
  readonly damaged: ReadonlyArray<DamagedObject>
}

/**
 * The lake's state objects (`keysOf`: every source's listed keys), each read afresh: a gap that a
 * retry widened keeps its name, so the models' fingerprints follow what the objects hold; and one
 * that does not decode is named and left out rather than fail every model that reads its source.
 */
export const readStateSources = (keysOf: ReadonlyMap<string, ReadonlyArray<string>>) =>
  Effect.gen(function*() {
    const files = yield* LakeFiles
    const sources = lakeSources.flatMap((source) => source.state === undefined ? [] : [{ name: source.name, schema: source.state }])
    const texts = yield* files.readFresh(sources.flatMap((source) => keysOf.get(source.name) ?? []))
    const readable = new Map<string, ReadonlyArray<string>>()
    const prints = new Map<string, string>()
    const damaged: Array<DamagedObject> = []
    for (const source of sources) {
      const keys: Array<string> = []
      for (const key of keysOf.get(source.name) ?? []) {
        const text = texts.get(key)
        if (text === undefined) continue
        const decoded = yield* Effect.either(decodeStored(source.schema, key, text))
        if (Either.isLeft(decoded)) damaged.push({ key, problem: decoded.left.message })
        else keys.push(key)
      }
      readable.set(source.name, keys)
      prints.set(source.name, fingerprint(keys.flatMap((key) => [key, texts.get(key) ?? ""])))
    }
    return { readable, prints, damaged } satisfies StateSources
  })
