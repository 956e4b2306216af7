import { Effect, Option, Schema } from "effect"
import { gunzipSync } from "node:zlib"
import { type Play, PlayFromJson } from "../../src/domain/Play.js"
import { Lake } from "../../src/services/lake/Lake.js"
import { ObjectStorage } from "../../src/services/storage/ObjectStorage.js"

/** Every play line in the lake, in key order, decoded. */
export const lakePlays = Effect.gen(function*() {
  const storage = yield* ObjectStorage
  const keys = yield* storage.list("plays/")
  const lines: Array<Play> = []
  for (const key of keys) {
    const object = yield* storage.get(key)
    const body = Option.getOrThrow(object).body
    for (const line of body.split("\n").filter((l) => l !== "")) lines.push(Schema.decodeUnknownSync(PlayFromJson)(line))
  }
  return lines
})

export const lakeKeys = (prefix: string) => Effect.flatMap(ObjectStorage, (storage) => storage.list(prefix))

/** A gzip-compressed object (a raw page), as text. */
export const lakeGunzipped = (key: string) =>
  Effect.flatMap(ObjectStorage, (storage) => storage.getBytes(key)).pipe(
    Effect.map((object) => gunzipSync(Option.getOrThrow(object).bytes).toString("utf8"))
  )

export const lakeObject = (key: string) =>
  Effect.flatMap(ObjectStorage, (storage) => storage.get(key)).pipe(Effect.map(Option.getOrThrow))

const AsidePlay = Schema.parseJson(Schema.Struct({ play: PlayFromJson }))

/** Every play kept aside (stamped in the future), decoded. */
export const lakeAside = Effect.gen(function*() {
  const storage = yield* ObjectStorage
  const keys = yield* storage.list("state/aside/")
  return yield* Effect.forEach(keys, (key) =>
    Effect.map(storage.get(key), (object) => Schema.decodeUnknownSync(AsidePlay)(Option.getOrThrow(object).body).play))
})

/** Every window in the gap ledger, oldest first. */
export const recordedGaps = Effect.flatMap(Lake, (lake) => lake.gaps(Number.MAX_SAFE_INTEGER)).pipe(
  Effect.map((ledger) => ledger.latest)
)
