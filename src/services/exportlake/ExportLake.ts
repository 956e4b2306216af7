import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import type { ExportSource } from "../../domain/exports/ExportFormat.js"
import { ExportLink, byLinkedAt } from "../../domain/exports/ExportLink.js"
import { byEndedAt, ExportRow } from "../../domain/exports/ExportRow.js"
import { GapClosure } from "../../domain/exports/GapClosure.js"
import { ImportRecord } from "../../domain/exports/ImportRecord.js"
import { Play } from "../../domain/Play.js"
import { Gap } from "../../domain/Gap.js"
import { removeDamaged, restoreIfDamaged } from "../lake/DamagedObjects.js"
import { decodeStored, describeUnreadable, encodeJson, type JsonLines, jsonLinesDecoder, readAllStored, readStored, type StoredObjects } from "../lake/LakeCodec.js"
import { dayObjectRange, gapsPrefix, gapStartOf, playsRange } from "../lake/LakeLayout.js"
import { bytesOf, ObjectStorage, StorageError } from "../storage/ObjectStorage.js"
import { closureKey, closureSpanOf, closuresPrefix, dayObjectKey, exportsRoot, importKey, importsPrefix, keptRecordName, linksRoot, monthPrefixes } from "./ExportLayout.js"

export interface Versioned<A> {
  readonly value: A
  readonly version: string
}

/** The gap ledger against the closures imports recorded. */
export interface GapStanding {
  /** Gaps no imported export closed. */
  readonly open: number
  readonly closed: number
  /** The latest open gaps read (at most the number asked for), oldest first. */
  readonly latestOpen: ReadonlyArray<Gap>
}

/** An immutable object of the lake, named by its content, and how many lines it holds. */
export interface DayObject {
  readonly key: string
  readonly body: Uint8Array
  readonly lines: number
}

export interface ExportLakeShape {
  /** Rows of `source` stored for the days of [fromMs, toMs] (whole days: callers filter). */
  readonly rows: (source: ExportSource, fromMs: number, toMs: number) => Effect.Effect<ReadonlyArray<ExportRow>, StorageError>
  /** Writes objects `rowObjects` made, create-only; the keys. */
  readonly writeRows: (objects: ReadonlyArray<DayObject>) => Effect.Effect<ReadonlyArray<string>, StorageError>
  /** Which of these keys the lake holds. */
  readonly holding: (keys: ReadonlyArray<string>) => Effect.Effect<ReadonlySet<string>, StorageError>
  readonly plays: (fromMs: number, toMs: number) => Effect.Effect<ReadonlyArray<Play>, StorageError>
  /** The first and last played_at live capture holds, from the plays' object names. */
  readonly liveSpan: Effect.Effect<{ readonly firstMs: number; readonly lastMs: number } | null, StorageError>
  readonly links: (fromMs: number, toMs: number) => Effect.Effect<ReadonlyArray<ExportLink>, StorageError>
  readonly writeLinks: (links: ReadonlyArray<ExportLink>) => Effect.Effect<ReadonlyArray<string>, StorageError>
  /** The gap ledger, oldest first; a gap file that does not decode is left out (status names it). */
  readonly gaps: Effect.Effect<ReadonlyArray<Gap>, StorageError>
  /** The closures imports recorded; one that does not decode is named, not fatal. */
  readonly closures: Effect.Effect<StoredObjects<GapClosure>, StorageError>
  /** Open and closed gaps counted from the objects' names; only gaps with a closure and the `latest` open ones are read. */
  readonly gapStanding: (latest: number) => Effect.Effect<GapStanding, StorageError>
  readonly writeClosure: (closure: GapClosure) => Effect.Effect<string, StorageError>
  readonly importRecord: (sha256: string) => Effect.Effect<Option.Option<Versioned<ImportRecord>>, StorageError>
  /** Compare-and-swap: `expected` is the version read, none to create it. */
  readonly saveImportRecord: (record: ImportRecord, expected: Option.Option<string>) => Effect.Effect<string, StorageError>
  /** Every import's record; one that does not decode is named, not fatal. */
  readonly importRecords: Effect.Effect<StoredObjects<ImportRecord>, StorageError>
  /**
   * Moves a file's record that does not decode to `state/damaged/import-<sha16>-<atMs>.json`, as
   * it was, so that the file can be planned again (only under the lake's lease); the key it was kept under.
   */
  readonly setAsideRecord: (sha256: string, atMs: number) => Effect.Effect<string, StorageError>
}

const concurrency = 64

const rowLines = jsonLinesDecoder(ExportRow)
const playLines = jsonLinesDecoder(Play)
const linkLines = jsonLinesDecoder(ExportLink)

const dayMs = 86_400_000

/** Items by root and UTC day (the partition is a function of the day), each day in `order`. */
const byDay = <A>(items: ReadonlyArray<A>, root: (item: A) => string, at: (item: A) => number, order: (a: A, b: A) => number) => {
  const days = new Map<string, [A, ...Array<A>]>()
  for (const item of items) {
    const day = `${root(item)}${Math.floor(at(item) / dayMs)}`
    const group = days.get(day)
    if (group === undefined) days.set(day, [item])
    else group.push(item)
  }
  return [...days.values()].map((group) => group.sort(order))
}

/** One object per root and UTC day, as JSON Lines in `order`: the same items always make the same objects. */
const dayObjects = <A>(root: (item: A) => string, items: ReadonlyArray<A>, at: (item: A) => number, order: (a: A, b: A) => number) =>
  byDay(items, root, at, order).map((day): DayObject => {
    const [first] = day
    const last = day[day.length - 1] ?? first
    const body = bytesOf(day.map((item) => `${JSON.stringify(item)}\n`).join(""))
    return { key: dayObjectKey(root(first), at(first), at(last), body), body, lines: day.length }
  })

/** The objects export rows land in: one per source and UTC day. */
export const rowObjects = (rows: ReadonlyArray<ExportRow>): ReadonlyArray<DayObject> =>
  dayObjects((row) => exportsRoot(row.source), rows, (row) => row.ended_at_ms, byEndedAt)

/** The folder listing finds a day object in: its month's (`.../year=YYYY/month=MM/`). */
const monthOf = (key: string) => key.replace(/day=\d+\/[^/]*$/, "")

const makeExportLake = Effect.gen(function*() {
  const storage = yield* ObjectStorage
  /** Objects with a damaged line already named in the log. */
  const named = yield* Ref.make<ReadonlySet<string>>(new Set())

  const putOnce = (key: string, body: string) =>
    storage.putIfAbsent(key, body).pipe(
      Effect.catchIf((error) => error.reason === "Conflict", () => Effect.void),
      Effect.as(key)
    )

  const bodyOf = (key: string) =>
    storage.get(key).pipe(Effect.map(Option.match({ onNone: () => "", onSome: (object) => object.body })))

  /**
   * Lines of the day objects under `root` whose name range meets [fromMs, toMs]. A line that does
   * not decode (a file cut short or edited by hand) is named in the log and left out, never fatal,
   * as for the sync: `damaged` says what becomes of what it held.
   */
  const ranged = <A>(root: string, fromMs: number, toMs: number, decode: (body: string) => JsonLines<A>, damaged: string) =>
    Effect.gen(function*() {
      const keys = (yield* Effect.forEach(monthPrefixes(root, fromMs, toMs), storage.list, { concurrency })).flat()
      const wanted = keys.filter((key) => {
        const range = dayObjectRange(key)
        return range !== undefined && range.firstMs <= toMs && range.lastMs >= fromMs
      })
      const found = yield* Effect.forEach(wanted, (key) =>
        Effect.flatMap(bodyOf(key), (body) => {
          const { unreadable, values } = decode(body)
          // Named once: an import reads the same days for each file and each side of a match.
          return unreadable.length === 0 ? Effect.succeed(values) : Effect.as(
            Effect.whenEffect(
              Effect.logWarning(`${describeUnreadable(key, unreadable)}; left out: ${damaged}`),
              Ref.modify(named, (keys) => [!keys.has(key), keys.has(key) ? keys : new Set([...keys, key])])
            ),
            values
          )
        }), { concurrency })
      return found.flat()
    })

  /**
   * Written in one batch, so the store syncs each of their folders once. A key found taken holds
   * these bytes already, unless damaged: a row or link a damaged line held lands again there.
   */
  const writeObjects = (objects: ReadonlyArray<DayObject>) =>
    Effect.gen(function*() {
      const outcomes = yield* storage.putManyIfAbsent(objects)
      const taken = objects.filter((_, i) => outcomes[i] === "exists")
      if (taken.length > 0) {
        const now = yield* Clock.currentTimeMillis
        yield* Effect.forEach(taken, (object) => restoreIfDamaged(storage, object.key, object.body, now), { discard: true })
      }
      return objects.map((object) => object.key)
    })

  /** A gap, or none when its object is gone or cannot be read (status lists those as damaged). */
  const gapAt = (key: string) =>
    readStored(storage, Gap, key).pipe(Effect.catchIf((error) => error.reason === "Invalid", () => Effect.succeedNone))

  return {
    rows: Effect.fn("ExportLake.rows")(function*(source: ExportSource, fromMs: number, toMs: number) {
      return yield* ranged(exportsRoot(source), fromMs, toMs, rowLines, "a row it held lands again from an export that holds it, imported now or later")
    }),
    writeRows: Effect.fn("ExportLake.writeRows")(function*(objects: ReadonlyArray<DayObject>) {
      return yield* writeObjects(objects)
    }),
    holding: Effect.fn("ExportLake.holding")(function*(keys: ReadonlyArray<string>) {
      const listed = yield* Effect.forEach([...new Set(keys.map(monthOf))], storage.list, { concurrency })
      const held = new Set(listed.flat())
      return new Set(keys.filter((key) => held.has(key)))
    }),
    plays: Effect.fn("ExportLake.plays")(function*(fromMs: number, toMs: number) {
      return yield* ranged("plays/", fromMs, toMs, playLines, "a play it held is not matched with the export (a sync lands it again while Spotify shows it)")
    }),
    liveSpan: storage.list("plays/").pipe(
      Effect.map((keys) => {
        const ranges = keys.flatMap((key) => playsRange(key) ?? [])
        // A fold: years of syncs are more objects than a call takes as arguments.
        return ranges.reduce<{ readonly firstMs: number; readonly lastMs: number } | null>(
          (span, r) => span === null ? r : { firstMs: Math.min(span.firstMs, r.firstMs), lastMs: Math.max(span.lastMs, r.lastMs) },
          null
        )
      }),
      Effect.withSpan("ExportLake.liveSpan")
    ),
    links: Effect.fn("ExportLake.links")(function*(fromMs: number, toMs: number) {
      return yield* ranged(linksRoot, fromMs, toMs, linkLines, "the export row it linked may be linked again")
    }),
    writeLinks: Effect.fn("ExportLake.writeLinks")(function*(links: ReadonlyArray<ExportLink>) {
      return yield* writeObjects(dayObjects(() => linksRoot, links, (link) => link.at_ms, byLinkedAt))
    }),
    // A gap file that does not decode closes nothing here; status names it.
    gaps: readAllStored(storage, Gap, gapsPrefix, concurrency).pipe(
      Effect.map((stored) => [...stored.values].sort((a, b) => a.from - b.from)),
      Effect.withSpan("ExportLake.gaps")
    ),
    closures: readAllStored(storage, GapClosure, closuresPrefix, concurrency).pipe(Effect.withSpan("ExportLake.closures")),
    gapStanding: Effect.fn("ExportLake.gapStanding")(function*(latest: number) {
      const [gapKeys, closureKeys] = yield* Effect.all([storage.list(gapsPrefix), storage.list(closuresPrefix)], { concurrency: 2 })
      const spans = closureKeys.flatMap((key) => Option.toArray(closureSpanOf(key)))
      const closedSpans = new Set(spans.map((span) => `${span.from}-${span.to}`))
      const closedStarts = new Set(spans.map((span) => span.from))
      const keys = [...gapKeys].sort((a, b) => gapStartOf(a) - gapStartOf(b))
      // A closure names the span it closed; a gap widened since then is open again.
      const candidates = keys.filter((key) => closedStarts.has(gapStartOf(key)))
      const checked = yield* Effect.forEach(candidates, gapAt, { concurrency })
      const read = new Map(candidates.map((key, i) => [key, checked[i] ?? Option.none<Gap>()]))
      const closed = new Set(candidates.filter((key) => Option.exists(read.get(key) ?? Option.none(), (gap) => closedSpans.has(`${gap.from}-${gap.to}`))))
      const open = keys.filter((key) => !closed.has(key))
      // A widened gap among the latest open ones was read above: not read again.
      const latestOpen = latest <= 0 ? [] : (yield* Effect.forEach(open.slice(-latest), (key) => {
        const known = read.get(key)
        return known === undefined ? gapAt(key) : Effect.succeed(known)
      }, { concurrency })).flatMap(Option.toArray)
      return { open: open.length, closed: closed.size, latestOpen } satisfies GapStanding
    }),
    writeClosure: Effect.fn("ExportLake.writeClosure")(function*(closure: GapClosure) {
      return yield* putOnce(closureKey(closure.gap, closure.sha256), encodeJson(GapClosure, closure))
    }),
    importRecord: Effect.fn("ExportLake.importRecord")(function*(sha256: string) {
      const key = importKey(sha256)
      const found = yield* storage.get(key)
      if (Option.isNone(found)) return Option.none()
      const value = yield* decodeStored(ImportRecord, key, found.value.body)
      return Option.some({ value, version: found.value.etag })
    }),
    saveImportRecord: Effect.fn("ExportLake.saveImportRecord")(function*(record: ImportRecord, expected: Option.Option<string>) {
      const key = importKey(record.tally.sha256)
      const body = encodeJson(ImportRecord, record)
      const written = yield* Option.match(expected, {
        onNone: () => storage.putIfAbsent(key, body),
        onSome: (etag) => storage.putIfMatch(key, body, etag)
      })
      return written.etag
    }),
    importRecords: readAllStored(storage, ImportRecord, importsPrefix, concurrency).pipe(Effect.withSpan("ExportLake.importRecords")),
    setAsideRecord: Effect.fn("ExportLake.setAsideRecord")(function*(sha256: string, atMs: number) {
      return yield* removeDamaged(storage, importKey(sha256), keptRecordName(sha256), atMs)
    })
  } satisfies ExportLakeShape
})

/** The privacy-export side of the lake: export rows, links, import records, gap closures; plays and gaps read only. */
export class ExportLake extends Context.Tag("spotify-pipeline/ExportLake")<ExportLake, ExportLakeShape>() {
  /** Over the lake's ObjectStorage (memory, folder or S3). */
  static readonly layer = Layer.effect(ExportLake, makeExportLake)
}
