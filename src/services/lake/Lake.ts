import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { Gap } from "../../domain/Gap.js"
import { EpochMs, isoOf } from "../../domain/Instant.js"
import { nodeZlib } from "../../domain/LazyBuiltins.js"
import { TrackUri } from "../../domain/Ids.js"
import { byPlayedAt, type Play, PlayFromJson, playKey } from "../../domain/Play.js"
import { ObjectStorage, StorageError } from "../storage/ObjectStorage.js"
import { replaceDamaged, restoreIfDamaged } from "./DamagedObjects.js"
import { type DamagedObject, decodeStored, encodeJson, jsonLinesDecoder, readEachStored } from "./LakeCodec.js"
import {
  asideKey,
  asidePrefix,
  gapKey,
  gapsPrefix,
  gapStartOf,
  partition,
  playsKey,
  playsMonthPrefix,
  playsPrefix,
  playsRange,
  playsRoot,
  rawKey
} from "./LakeLayout.js"

/** What the gap ledger holds: every window is counted, the latest are read, a damaged file is named, not fatal. */
export interface GapLedger {
  readonly total: number
  readonly latest: ReadonlyArray<Gap>
  readonly damaged: ReadonlyArray<DamagedObject>
}

export interface LakeShape {
  /** Identities (`playKey`) of those `plays` already stored in the lake. */
  readonly knownPlays: (plays: ReadonlyArray<Play>) => Effect.Effect<ReadonlySet<string>, StorageError>
  /**
   * The newest played_at the lake holds that is not later than `notAfterMs`; none in an empty
   * lake. Every play Spotify showed before it is in the lake too (`writePlays` lands oldest first).
   */
  readonly newestPlay: (notAfterMs: number) => Effect.Effect<Option.Option<EpochMs>, StorageError>
  /** Writes plays as one immutable JSON Lines object per UTC day, oldest first; rewriting the same plays is a no-op. */
  readonly writePlays: (plays: ReadonlyArray<Play>) => Effect.Effect<ReadonlyArray<string>, StorageError>
  /** Keeps an API page, gzip-compressed, under `raw/`; the same page is one object. */
  readonly writeRaw: (body: string, fetchedAtMs: number, newestPlayedAtMs: number) => Effect.Effect<string, StorageError>
  /** Keeps plays stamped later than the run's clock allows out of `plays/`, under `state/aside/`. */
  readonly keepAside: (plays: ReadonlyArray<Play>, fetchedAtMs: number) => Effect.Effect<ReadonlyArray<string>, StorageError>
  /** Records a gap, one per start: false when the ledger had it already (then widened to the later end, if any). */
  readonly recordGap: (gap: Gap) => Effect.Effect<{ readonly key: string; readonly recorded: boolean }, StorageError>
  /** The ledger, its `latest` few windows read (oldest first). */
  readonly gaps: (latest: number) => Effect.Effect<GapLedger, StorageError>
  /**
   * How many plays kept aside are not in `plays/`: once a run with a right clock lands a play kept
   * aside, it no longer counts (its aside object stays, create-only, as history).
   */
  readonly asidePending: Effect.Effect<number, StorageError>
  /** How many plays objects the lake holds, and the objects under `plays/` its naming did not produce (never read as plays). */
  readonly playsInventory: Effect.Effect<{ readonly objects: number; readonly strangers: ReadonlyArray<string> }, StorageError>
}

const encodePlay = Schema.encodeSync(PlayFromJson)

/** A stored play as the sync reads it: the two fields of its identity; the rest is for the lake's readers. */
const StoredPlay = Schema.Struct({ played_at_ms: EpochMs, track_uri: TrackUri })
const storedPlays = jsonLinesDecoder(StoredPlay)

/** What `keepAside` writes: the play as the line it would have been in `plays/`. */
const AsidePlay = Schema.Struct({ play: PlayFromJson })

const jsonLines = (plays: ReadonlyArray<Play>) => plays.map((play) => `${encodePlay(play)}\n`).join("")

/** Plays grouped by UTC day, oldest day first. */
const byDay = (plays: ReadonlyArray<Play>): ReadonlyArray<ReadonlyArray<Play>> => {
  const days = new Map<string, Array<Play>>()
  for (const play of [...plays].sort(byPlayedAt)) {
    const day = partition(play.played_at_ms)
    days.set(day, [...(days.get(day) ?? []), play])
  }
  return [...days.values()]
}

const makeLake = Effect.gen(function*() {
  const storage = yield* ObjectStorage

  /** Create-only; the name derives from the content, so finding it taken means it is already there. */
  const putOnce = (key: string, body: string | Uint8Array) =>
    storage.putIfAbsent(key, body).pipe(
      Effect.as(true),
      Effect.catchIf((error) => error.reason === "Conflict", () => Effect.succeed(false))
    )

  /**
   * What the sync reads of the plays an object holds: each one's identity. A line that holds none
   * (a file cut short or edited by hand) is named in the log and left out, never fatal: a damaged
   * object must not stop capture, and a play it held lands again, readable, while Spotify shows it.
   */
  const playsIn = (key: string) =>
    storage.get(key).pipe(
      Effect.flatMap(Option.match({
        onNone: () => Effect.succeed([]),
        onSome: (object) => {
          const { unreadable, values } = storedPlays(object.body)
          return unreadable.length === 0 ? Effect.succeed(values) : Effect.as(
            Effect.logWarning(
              `${key} line ${unreadable.map((bad) => bad.line).join(", ")} is not a play the lake can read (damaged by hand or by the disk?): ` +
                "left out; a play it held lands again while Spotify still shows it"
            ),
            values
          )
        }
      }))
    )

  /** The lake's own plays objects under `prefix`, each with the range its name declares. */
  const playsObjects = (prefix: string) =>
    Effect.map(storage.list(prefix), (keys) =>
      keys.flatMap((key) => {
        const range = playsRange(key)
        return range === undefined ? [] : [{ key, ...range }]
      }))

  // A play can only match one ending in the same second, so only that second's day is read.
  const knownPlays = Effect.fn("Lake.knownPlays")(function*(plays: ReadonlyArray<Play>) {
    if (plays.length === 0) return new Set<string>()
    const wanted = new Set(plays.map(playKey))
    const seconds = plays.map((play) => Math.floor(play.played_at_ms / 1000) * 1000)
    // Folds: the plays kept aside, which status checks here, are not bounded by a page.
    const [lowMs, highMs] = [seconds.reduce((a, b) => Math.min(a, b)), seconds.reduce((a, b) => Math.max(a, b)) + 999]
    const days = [...new Set(seconds.map(playsPrefix))]
    const objects = (yield* Effect.forEach(days, playsObjects, { concurrency: 4 })).flat()
    const overlapping = objects.filter((object) => object.firstMs <= highMs && object.lastMs >= lowMs)
    const stored = (yield* Effect.forEach(overlapping, (object) => playsIn(object.key), { concurrency: 4 })).flat()
    return new Set(stored.map(playKey).filter((key) => wanted.has(key)))
  })

  /** The newest play of `objects` at or before `notAfterMs`. */
  const newestIn = (objects: ReadonlyArray<{ readonly key: string; readonly firstMs: number; readonly lastMs: number }>, notAfterMs: number) =>
    Effect.gen(function*() {
      const candidates = objects.filter((object) => object.firstMs <= notAfterMs)
      const whole = candidates.filter((object) => object.lastMs <= notAfterMs).map((object) => object.lastMs)
      // An object reaching past `notAfterMs` (a play stamped in the future by an older version) is read line by line.
      const straddling = candidates.filter((object) => object.lastMs > notAfterMs)
      const lines = (yield* Effect.forEach(straddling, (object) => playsIn(object.key))).flat()
      const instants = [...whole, ...lines.map((play) => play.played_at_ms).filter((ms) => ms <= notAfterMs)]
      // A fold: years of syncs are more objects than a call takes as arguments (Math.max(...instants) overflows).
      return instants.length === 0 ? Option.none<EpochMs>() : Option.some(EpochMs.make(instants.reduce((a, b) => Math.max(a, b))))
    })

  // A plays object holds one UTC day, so a month's folder holds that month's plays: a lake in use
  // finds its newest play in the folder of this month or the last, listing a few objects; only
  // otherwise (a new lake, or one idle for over a month) is every plays object listed, once.
  const newestPlay = Effect.fn("Lake.newestPlay")(function*(notAfterMs: number) {
    const at = new Date(notAfterMs)
    for (const back of [0, 1]) {
      const month = Date.UTC(at.getUTCFullYear(), at.getUTCMonth() - back, 1)
      const found = yield* newestIn(yield* playsObjects(playsMonthPrefix(month)), notAfterMs)
      if (Option.isSome(found)) return found
    }
    return yield* newestIn(yield* playsObjects(playsRoot), notAfterMs)
  })

  // One day after another, oldest first: a run that dies midway leaves the oldest of its plays,
  // so the newest play in the lake still marks how far capture is complete (see `newestPlay`).
  const writePlays = Effect.fn("Lake.writePlays")(function*(plays: ReadonlyArray<Play>) {
    return yield* Effect.forEach(byDay(plays), (day) => {
      const body = jsonLines(day)
      const first = day[0]
      const last = day[day.length - 1]
      if (first === undefined || last === undefined) return Effect.dieMessage("an empty day group")
      const key = playsKey(first.played_at_ms, last.played_at_ms, body)
      // Taken means there already, unless damaged: a play a damaged line held lands again here.
      return putOnce(key, body).pipe(
        Effect.flatMap((created) => created ? Effect.void : Effect.flatMap(Clock.currentTimeMillis, (now) => restoreIfDamaged(storage, key, body, now))),
        Effect.as(key)
      )
    })
  })

  const writeRaw = Effect.fn("Lake.writeRaw")(function*(body: string, fetchedAtMs: number, newestPlayedAtMs: number) {
    const key = rawKey(fetchedAtMs, newestPlayedAtMs, body)
    yield* putOnce(key, nodeZlib().gzipSync(body, { level: 9 }))
    return key
  })

  const keepAside = Effect.fn("Lake.keepAside")(function*(plays: ReadonlyArray<Play>, fetchedAtMs: number) {
    return yield* Effect.forEach(plays, (play) => {
      const line = encodePlay(play)
      const key = asideKey(play.played_at_ms, line)
      const body = JSON.stringify({
        fetched_at: isoOf(fetchedAtMs),
        reason: "played_at is later than the moment it was fetched: a device with a wrong clock, or bad data",
        play: line
      })
      return Effect.as(putOnce(key, body), key)
    })
  })

  // A retry after new plays arrived sees the same start with a later end: the window is widened
  // in place (compare-and-swap), so one loss stays one entry and every lost play stays inside it.
  const widenGap = (key: string, gap: Gap): Effect.Effect<void, StorageError> =>
    Effect.gen(function*() {
      const stored = yield* storage.get(key)
      if (Option.isNone(stored)) return yield* Effect.dieMessage(`${key} vanished after a conflict on it`)
      const recorded = yield* decodeStored(Gap, key, stored.value.body)
      if (gap.to <= recorded.to) return
      yield* storage.putIfMatch(key, encodeJson(Gap, { ...recorded, to: gap.to }), stored.value.etag)
    }).pipe(
      Effect.retry({ times: 3, while: (error) => error.reason === "Conflict" }),
      // A damaged gap where this one starts would stop every run (the next starts there too): kept
      // aside as it was, and this window recorded in its place.
      Effect.catchIf((error) => error.reason === "Invalid", (error) =>
        Effect.gen(function*() {
          const { kept } = yield* replaceDamaged(storage, key, `gap-${gap.from}`, yield* Clock.currentTimeMillis, encodeJson(Gap, gap))
          yield* Effect.logWarning(`${error.message}: kept as ${kept}, and the gap recorded again (its end may have been later)`)
        }))
    )

  const recordGap = Effect.fn("Lake.recordGap")(function*(gap: Gap) {
    const key = gapKey(gap.from)
    const recorded = yield* putOnce(key, encodeJson(Gap, gap))
    if (!recorded) yield* widenGap(key, gap)
    return { key, recorded }
  })

  const gaps = Effect.fn("Lake.gaps")(function*(latest: number) {
    const keys = [...(yield* storage.list(gapsPrefix))].sort((a, b) => gapStartOf(a) - gapStartOf(b))
    const read = yield* readEachStored(storage, Gap, keys.slice(-latest), 8)
    return { total: keys.length, latest: read.values, damaged: read.damaged } satisfies GapLedger
  })

  // No aside object, nothing read (status stays quick); an aside object that does not read counts as pending.
  const asidePending = Effect.gen(function*() {
    const keys = yield* storage.list(asidePrefix)
    if (keys.length === 0) return 0
    const plays = (yield* readEachStored(storage, AsidePlay, keys, 8)).values.map((aside) => aside.play)
    const landed = yield* knownPlays(plays)
    return keys.length - plays.filter((play) => landed.has(playKey(play))).length
  }).pipe(Effect.withSpan("Lake.asidePending"))

  const playsInventory = storage.list(playsRoot).pipe(
    Effect.map((keys) => {
      const strangers = keys.filter((key) => playsRange(key) === undefined)
      return { objects: keys.length - strangers.length, strangers }
    }),
    Effect.withSpan("Lake.playsInventory")
  )

  return { knownPlays, newestPlay, writePlays, writeRaw, keepAside, recordGap, gaps, asidePending, playsInventory } satisfies LakeShape
})

/** The lake's data and ledgers, laid out as the README's lake contract says. */
export class Lake extends Context.Tag("spotify-pipeline/Lake")<Lake, LakeShape>() {
  /** Over the lake's ObjectStorage (memory, folder or S3). */
  static readonly layer = Layer.effect(Lake, makeLake)
}
