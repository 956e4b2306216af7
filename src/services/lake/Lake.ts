import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { type Play, PlayFromJson, byPlayedAt, playKey } from "../../domain/Play.js"
import { Gap, RunSummary } from "../../domain/SyncState.js"
import { decodeStored, encodeJson } from "./LakeCodec.js"
import { gapKey, gapsPrefix, partition, playsKey, playsPrefix, playsRange, rawKey, runKey } from "./LakeLayout.js"
import { ObjectStorage, StorageError } from "../storage/ObjectStorage.js"

export interface LakeShape {
  /** Identities (`playKey`) of those `plays` already stored in the lake. */
  readonly knownPlays: (plays: ReadonlyArray<Play>) => Effect.Effect<ReadonlySet<string>, StorageError>
  /** Writes plays as one immutable JSON Lines object per UTC day; rewriting the same plays is a no-op. */
  readonly writePlays: (plays: ReadonlyArray<Play>) => Effect.Effect<ReadonlyArray<string>, StorageError>
  /** Keeps an API page verbatim under `raw/`. */
  readonly writeRaw: (body: string, fetchedAtMs: number) => Effect.Effect<string, StorageError>
  readonly recordGap: (gap: Gap) => Effect.Effect<string, StorageError>
  readonly gaps: Effect.Effect<ReadonlyArray<Gap>, StorageError>
  readonly recordRun: (summary: RunSummary, startedAtMs: number) => Effect.Effect<string, StorageError>
}

const encodePlay = Schema.encodeSync(PlayFromJson)

const jsonLines = (plays: ReadonlyArray<Play>) => plays.map((play) => `${encodePlay(play)}\n`).join("")

const byDay = (plays: ReadonlyArray<Play>): ReadonlyArray<ReadonlyArray<Play>> => {
  const days = new Map<string, Array<Play>>()
  for (const play of plays) {
    const day = partition(play.played_at_ms)
    days.set(day, [...(days.get(day) ?? []), play])
  }
  return [...days.values()].map((group) => [...group].sort(byPlayedAt))
}

const makeLake = Effect.gen(function*() {
  const storage = yield* ObjectStorage

  /** Create-only; the name derives from the content, so finding it taken means it is already there. */
  const putOnce = (key: string, body: string) =>
    storage.putIfAbsent(key, body).pipe(
      Effect.catchIf((error) => error.reason === "Conflict", () => Effect.void),
      Effect.as(key)
    )

  const playsIn = (key: string) =>
    storage.get(key).pipe(
      Effect.map(Option.match({ onNone: () => [], onSome: (object) => object.body.split("\n").filter((line) => line !== "") })),
      Effect.flatMap(Effect.forEach((line, index) =>
        Schema.decodeUnknown(PlayFromJson)(line).pipe(
          Effect.mapError((cause) =>
            new StorageError({ reason: "Invalid", key, message: `${key} line ${index + 1} is not a valid play`, cause })
          )
        )
      ))
    )

  // A play can only duplicate one with the same played_at_ms, so only its own day is read.
  const knownPlays = Effect.fn("Lake.knownPlays")(function*(plays: ReadonlyArray<Play>) {
    if (plays.length === 0) return new Set<string>()
    const wanted = new Set(plays.map(playKey))
    const instants = plays.map((play) => play.played_at_ms)
    const [lowMs, highMs] = [Math.min(...instants), Math.max(...instants)]
    const days = [...new Set(plays.map((play) => playsPrefix(play.played_at_ms)))]
    const keys = (yield* Effect.forEach(days, (prefix) => storage.list(prefix), { concurrency: 4 })).flat()
    const overlapping = keys.filter((key) => {
      const range = playsRange(key)
      return range === undefined || (range.firstMs <= highMs && range.lastMs >= lowMs)
    })
    const stored = (yield* Effect.forEach(overlapping, playsIn, { concurrency: 4 })).flat()
    return new Set(stored.map(playKey).filter((key) => wanted.has(key)))
  })

  const writePlays = Effect.fn("Lake.writePlays")(function*(plays: ReadonlyArray<Play>) {
    return yield* Effect.forEach(byDay(plays), (day) => {
      const body = jsonLines(day)
      const first = day[0]
      const last = day[day.length - 1]
      return first === undefined || last === undefined
        ? Effect.dieMessage("an empty day group")
        : putOnce(playsKey(first.played_at_ms, last.played_at_ms, body), body)
    })
  })

  const writeRaw = Effect.fn("Lake.writeRaw")(function*(body: string, fetchedAtMs: number) {
    return yield* putOnce(rawKey(fetchedAtMs, body), body)
  })

  const recordGap = Effect.fn("Lake.recordGap")(function*(gap: Gap) {
    return yield* putOnce(gapKey(gap.from_ms, gap.to_ms), encodeJson(Gap, gap))
  })

  const gaps = storage.list(gapsPrefix).pipe(
    Effect.flatMap(Effect.forEach((key) =>
      storage.get(key).pipe(
        Effect.flatMap(Option.match({
          onNone: () => Effect.succeedNone,
          onSome: (object) => decodeStored(Gap, key, object.body).pipe(Effect.map(Option.some))
        }))
      )
    )),
    Effect.map((found) => found.flatMap(Option.toArray).sort((a, b) => a.from_ms - b.from_ms)),
    Effect.withSpan("Lake.gaps")
  )

  const recordRun = Effect.fn("Lake.recordRun")(function*(summary: RunSummary, startedAtMs: number) {
    const body = encodeJson(RunSummary, summary)
    return yield* putOnce(runKey(startedAtMs, body), body)
  })

  return { knownPlays, writePlays, writeRaw, recordGap, gaps, recordRun } satisfies LakeShape
})

/** The lake's data and ledgers, laid out as the README's lake contract says. */
export class Lake extends Context.Tag("spotify-pipeline/Lake")<Lake, LakeShape>() {
  /** Over the lake's ObjectStorage (memory, folder or S3). */
  static readonly layer = Layer.effect(Lake, makeLake)
}
