import { EpochMs } from "../../src/domain/Instant.js"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Exit, Option, Schema, Scope } from "effect"
import { ExportLink } from "../../src/domain/exports/ExportLink.js"
import { ExportRow } from "../../src/domain/exports/ExportRow.js"
import { GapClosure } from "../../src/domain/exports/GapClosure.js"
import { playKey } from "../../src/domain/Play.js"
import { Lake } from "../../src/services/lake/Lake.js"
import { StateStore } from "../../src/services/lake/StateStore.js"
import { ObjectStorage } from "../../src/services/storage/ObjectStorage.js"
import { describeCoverage } from "../../src/entrypoints/cli/ImportReport.js"
import { historyCoverage } from "../../src/programs/HistoryCoverage.js"
import { capturingLogs } from "../support/CapturedLogs.js"
import * as MemoryStorage from "../../src/services/storage/MemoryStorage.js"
import { filesOf, importWorld, lines, listener, listenMore, livePlays, runImport, scratch, snapshot, snapshotButLease, writeFolder, writeZip } from "../support/ImportKit.js"

const decodeRows = Schema.decodeUnknownSync(Schema.Array(ExportRow))
const decodeLinks = Schema.decodeUnknownSync(Schema.Array(ExportLink))

const contractFields = [
  "row_id", "source", "ended_at", "ended_at_ms", "ended_at_precision", "ms_played", "kind", "track_uri", "track_name",
  "artist_name", "album_name", "episode_uri", "episode_name", "show_name", "audiobook_uri", "audiobook_title",
  "audiobook_chapter_uri", "audiobook_chapter_title", "reason_start", "reason_end", "skipped", "shuffle", "offline",
  "offline_at", "incognito", "platform", "conn_country", "source_file"
]

const exportRows = (source: "extended" | "account") => Effect.map(lines(`exports/source=${source}/`), decodeRows)

const memory = () => importWorld(MemoryStorage.layer)

describe("ImportHistory", () => {
  it.scoped("lands every row of the current exports once, in the lake's layout, and lists what it left alone", () =>
    Effect.gen(function*() {
      const dir = yield* scratch
      const zip = yield* writeZip(dir, filesOf(listener(3, 120)))
      const summary = yield* runImport([zip])

      expect(summary.files.map((file) => file.format)).toEqual(["extended-audio", "extended-video", "account-music", "account-podcast"])
      expect(summary.ignored.map((name) => name.split("/").pop())).toEqual([
        "ReadMeFirst_ExtendedStreamingHistory.pdf", "Userdata.json", "Playlist1.json"
      ])
      expect(summary.imported + summary.duplicates).toBe(summary.rows)
      expect(summary.duplicates).toBeGreaterThan(0)
      const extended = yield* exportRows("extended")
      const account = yield* exportRows("account")
      expect(extended.length + account.length).toBe(summary.imported)
      expect(new Set([...extended, ...account].map((row) => row.row_id)).size).toBe(summary.imported)
      const raw = (yield* lines("exports/")) as ReadonlyArray<Record<string, unknown>>
      for (const row of raw) expect(Object.keys(row)).toEqual(contractFields)
      expect(extended.every((row) => row.ended_at.endsWith(".000Z") && row.ended_at_precision === "s")).toBe(true)
      expect(account.every((row) => row.ended_at.endsWith(":00.000Z") && row.ended_at_precision === "min")).toBe(true)
      expect(new Set(extended.map((row) => row.kind))).toEqual(new Set(["track", "episode", "audiobook", "video", "unknown"]))
      expect(extended.filter((row) => row.incognito === true).length).toBeGreaterThan(0)

      const keys = (yield* snapshot).map(([key]) => key).filter((key) => key.startsWith("exports/"))
      for (const key of keys) {
        expect(key).toMatch(/^exports\/source=(extended|account)\/year=\d{4}\/month=\d{2}\/day=\d{2}\/\d+-\d+-[0-9a-f]{16}\.jsonl$/)
      }
      for (const row of extended) {
        const day = row.ended_at.slice(0, 10).split("-")
        expect(keys.some((key) => key.includes(`year=${day[0]}/month=${day[1]}/day=${day[2]}/`))).toBe(true)
      }
    }).pipe(Effect.provide(memory())))

  it.scoped("reads the older family (endsong, endvideo, StreamingHistoryN) and never keeps user names or addresses", () =>
    Effect.gen(function*() {
      const dir = yield* scratch
      const zip = yield* writeZip(dir, filesOf(listener(4, 60), { style: "older" }))
      const summary = yield* runImport([zip])
      expect(summary.files.map((file) => [file.name, file.format])).toEqual([
        ["endsong_0.json", "endsong"],
        ["endvideo.json", "endvideo"],
        ["StreamingHistory0.json", "account-mixed"]
      ])
      expect(summary.imported).toBeGreaterThan(400)
      const everything = (yield* snapshot).map(([, body]) => body).join("\n")
      for (const field of ["username", "ip_addr", "user_agent", "192.0.2."]) expect(everything).not.toContain(field)
      expect((yield* exportRows("account")).every((row) => row.kind === "track")).toBe(true)
    }).pipe(Effect.provide(memory())))

  it.scoped("importing the same export again lands nothing and says every file was seen", () =>
    Effect.gen(function*() {
      const dir = yield* scratch
      const zip = yield* writeZip(dir, filesOf(listener(5, 80)))
      const first = yield* runImport([zip])
      const before = yield* snapshot
      const again = yield* runImport([zip])
      expect(yield* snapshot).toEqual(before)
      expect(again).toMatchObject({ rows: first.rows, imported: 0, duplicates: first.rows, matched_live: first.matched_live })
      expect(again.export_only).toBe(first.export_only)
      expect(again.files.every((file) => file.seen && file.imported === 0)).toBe(true)
    }).pipe(Effect.provide(memory())))

  it.scoped("a damaged import record is kept aside and the file planned again: nothing lands twice", () =>
    Effect.gen(function*() {
      const dir = yield* scratch
      const zip = yield* writeZip(dir, filesOf(listener(5, 80)))
      const first = yield* runImport([zip])
      const storage = yield* ObjectStorage
      const [record] = yield* storage.list("state/imports/")
      const good = Option.getOrThrow(yield* storage.get(record ?? "")).body
      yield* storage.put(record ?? "", "{\"status\":\"imp")
      const rowsBefore = (yield* lines("exports/")).length

      const { logs, result } = yield* capturingLogs(runImport([zip]))
      expect(result).toMatchObject({ rows: first.rows, imported: 0, duplicates: first.rows })
      expect((yield* lines("exports/")).length).toBe(rowsBefore)
      const [kept] = yield* storage.list("state/damaged/")
      expect(kept).toMatch(/^state\/damaged\/import-[0-9a-f]{16}-\d+\.json$/)
      expect(logs).toContainEqual({ level: "WARN", message: expect.stringContaining(`kept as ${kept}`) })
      // Written again, with this run's figures: the file is known to the next import.
      const rewritten = JSON.parse(Option.getOrThrow(yield* storage.get(record ?? "")).body)
      expect(rewritten).toMatchObject({ status: "imported", tally: { rows: JSON.parse(good).tally.rows } })
      expect((yield* runImport([zip])).files.every((file) => file.seen)).toBe(true)
      // The rows it had landed are in no record's count now: status says its count is a floor.
      const rowsLine = (keptDamaged: ReadonlyArray<string>) =>
        Effect.map(historyCoverage, (coverage) => describeCoverage(coverage, keptDamaged).find((line) => line.includes(" rows)")))
      expect(yield* rowsLine([kept ?? ""])).toMatch(/ files, at least [\d,]+ rows\)$/)
      expect(yield* rowsLine([])).toMatch(/ files, [\d,]+ rows\)$/)
    }).pipe(Effect.provide(memory())))

  it.scoped("a zip, its unzipped folder and its single files leave the same lake", () =>
    Effect.gen(function*() {
      const files = filesOf(listener(6, 50))
      const dir = yield* scratch
      const zip = yield* writeZip(dir, files)
      const folder = yield* writeFolder(`${dir}/unzipped`, files)
      const fromZip = yield* Effect.zipRight(runImport([zip]), snapshotButLease).pipe(Effect.provide(memory()))
      const fromFolder = yield* Effect.zipRight(runImport([folder]), snapshotButLease).pipe(Effect.provide(memory()))
      const singles = files.filter((file) => file.path.endsWith(".json")).map((file) => `${folder}/${file.path}`)
      const fromFiles = yield* Effect.zipRight(runImport(singles), snapshotButLease).pipe(Effect.provide(memory()))
      expect(fromFolder).toEqual(fromZip)
      expect(fromFiles).toEqual(fromZip)
    }))

  it.scoped("a newer export that overlaps an older one lands only what is new", () =>
    Effect.gen(function*() {
      const dir = yield* scratch
      const before = listener(8, 100)
      const after = listenMore(before, 70)
      const older = yield* writeZip(dir, filesOf(before), "older.zip")
      const newer = yield* writeZip(dir, filesOf(after), "newer.zip")
      yield* runImport([older])
      const firstIds = new Set((yield* exportRows("extended")).map((row) => row.row_id))
      const second = yield* runImport([newer])
      const all = yield* exportRows("extended")
      const ids = all.map((row) => row.row_id)
      expect(new Set(ids).size).toBe(ids.length)
      const extended = second.files.filter((file) => file.source === "extended")
      const landed = extended.reduce((n, file) => n + file.imported, 0)
      expect(landed).toBe(ids.filter((id) => !firstIds.has(id)).length)
      expect(landed).toBeGreaterThanOrEqual(70)
      expect(extended.reduce((n, file) => n + file.duplicates, 0)).toBeGreaterThanOrEqual(firstIds.size)
    }).pipe(Effect.provide(memory())))

  it.scoped("a damaged line in the lake's rows, links or plays does not stop an import: named, left out, and its row lands again", () =>
    Effect.gen(function*() {
      const before = listener(12, 120)
      const lake = yield* Lake
      yield* lake.writePlays(livePlays(before))
      const dir = yield* scratch
      yield* runImport([yield* writeZip(dir, filesOf(before), "older.zip")])
      const storage = yield* ObjectStorage
      // The first line of an object cut short, as a copy interrupted or an editor's slip leaves it.
      const cut = (prefix: string) =>
        Effect.gen(function*() {
          const keys = yield* storage.list(prefix)
          const key = keys.find((k) => k.endsWith(".jsonl")) ?? ""
          const body = Option.getOrThrow(yield* storage.get(key)).body
          const [first = "", ...rest] = body.split("\n")
          yield* storage.remove(key)
          yield* storage.putIfAbsent(key, [first.slice(0, 30), ...rest].join("\n"))
          return { key, body, line: JSON.parse(first) as Record<string, unknown> }
        })
      const row = yield* cut("exports/source=extended/")
      const link = yield* cut("links/")
      const play = yield* cut("plays/")

      const { logs, result } = yield* capturingLogs(runImport([yield* writeZip(dir, filesOf(listenMore(before, 40)), "newer.zip")]))
      for (const { key } of [row, link, play]) {
        const named = logs.filter((log) => log.message.includes(`${key} line 1 is not readable (damaged by hand or by the disk?)`))
        expect(named.map((log) => log.level), key).toEqual(["WARN"])
      }
      expect(result.imported).toBeGreaterThanOrEqual(40)
      // The row the cut line held is in the lake again, readable, once.
      const readable = (prefix: string) =>
        Effect.gen(function*() {
          const bodies = yield* Effect.forEach(yield* storage.list(prefix), (key) => Effect.map(storage.get(key), (o) => Option.getOrThrow(o).body))
          return bodies.flatMap((body) => body.split("\n").filter((text) => text.startsWith("{") && text.endsWith("}")))
            .map((text) => JSON.parse(text) as Record<string, unknown>)
        })
      const ids = (yield* readable("exports/")).map((r) => `${r["source"]} ${r["row_id"]}`)
      expect(ids.filter((id) => id === `${row.line["source"]} ${row.line["row_id"]}`)).toHaveLength(1)
      expect(new Set(ids).size).toBe(ids.length)
      // Its day held that listen alone, so landing it again made the same object: the damaged one is
      // kept aside and the object holds again what its name says.
      expect(row.body.split("\n").filter((text) => text !== "")).toHaveLength(1)
      expect(Option.getOrThrow(yield* storage.get(row.key)).body).toBe(row.body)
      const kept = (yield* storage.list("state/damaged/")).filter((key) => key.startsWith("state/damaged/exports-"))
      expect(kept).toHaveLength(1)
      expect(logs).toContainEqual({ level: "WARN", message: `${row.key} did not hold what its name says (damaged by hand or by the disk?): kept as ${kept[0]}, and written again whole` })
      // Each play, and each extended row, is linked at most once by the rows of a source among the readable links.
      const linked = (yield* readable("links/")).map((l) => `${l["export_source"]} ${l["target"] === "play" ? l["play_key"] : l["export_row_id"]}`)
      expect(new Set(linked).size).toBe(linked.length)
    }).pipe(Effect.provide(memory())))

  it.scoped("an import while another run holds the lake steps aside naming it and writes nothing; once free, it lands", () =>
    Effect.gen(function*() {
      // Two imports of overlapping exports at once would each plan the rows the lake lacks before
      // either landed them: the lease (whose races the StateStore contract proves) keeps them apart.
      const dir = yield* scratch
      const zip = yield* writeZip(dir, filesOf(listener(8, 100)))
      const scope = yield* Scope.make()
      yield* Effect.flatMap(StateStore, (states) => states.lease("another-import", Duration.minutes(2))).pipe(Scope.extend(scope))
      const before = yield* snapshot
      const busy = yield* Effect.flip(runImport([zip]))
      // Fields, not the whole value: were the import to run, a failing match would print its whole summary.
      expect(busy._tag).toBe("LakeBusy")
      expect(busy.message).toContain("another run (a sync or an import) holds the lake")
      expect(yield* snapshot).toEqual(before)
      yield* Scope.close(scope, Exit.void)
      const landed = yield* runImport([zip])
      expect(landed.files.every((file) => !file.seen)).toBe(true)
      expect(landed.imported).toBeGreaterThan(0)
    }).pipe(Effect.provide(memory())))

  it.scoped("two overlapping exports and one of them again, in a single run, land what separate runs land, once", () =>
    Effect.gen(function*() {
      // Each file is read and parsed while the one before it lands: what the next one finds in the
      // lake must still be everything the files before it wrote.
      const dir = yield* scratch
      const before = listener(8, 100)
      const older = yield* writeZip(dir, filesOf(before), "older.zip")
      const newer = yield* writeZip(dir, filesOf(listenMore(before, 70)), "newer.zip")
      const landed = Effect.all({ extended: exportRows("extended"), account: exportRows("account") })
      const byId = (rows: ReadonlyArray<ExportRow>) => [...rows].sort((a, b) => a.row_id.localeCompare(b.row_id))
      const apart = yield* Effect.gen(function*() {
        yield* runImport([older])
        yield* runImport([newer])
        return yield* landed
      }).pipe(Effect.provide(memory()))
      const together = yield* Effect.all({ summary: runImport([older, newer, older]), rows: landed }).pipe(Effect.provide(memory()))
      for (const source of ["extended", "account"] as const) {
        const ids = together.rows[source].map((row) => row.row_id)
        expect(new Set(ids).size, source).toBe(ids.length)
        expect(byId(together.rows[source]), source).toEqual(byId(apart[source]))
      }
      const files = together.summary.files
      expect(files.filter((file) => file.seen).length).toBe(files.length / 3)
      expect(together.summary.imported).toBe(apart.extended.length + apart.account.length)
    }))

  it.scoped("reconciles with live capture: every captured play linked once, the lost ones export-only, the gap closed", () =>
    Effect.gen(function*() {
      const who = listener(9, 120)
      const plays = livePlays(who)
      const captured = [...plays.slice(0, 50), ...plays.slice(80)]
      const lake = yield* Lake
      yield* lake.writePlays(captured)
      const lost = { from: plays[49]!.played_at_ms, to: plays[80]!.played_at_ms }
      yield* lake.recordGap({ ...lost, detected_at: EpochMs.make(Date.UTC(2026, 0, 7)) })
      const dir = yield* scratch
      const summary = yield* runImport([yield* writeZip(dir, filesOf(who))])

      expect(summary.matched_live).toBe(captured.length)
      expect(summary.live_only).toBe(0)
      expect(summary.gaps_closed).toBe(1)
      const links = decodeLinks(yield* lines("links/"))
      const live = links.filter((link) => link.target === "play" && link.export_source === "extended")
      expect(live.map((link) => link.play_key).sort()).toEqual(captured.map(playKey).sort())
      expect(live.every((link) => Math.abs(link.delta_ms) <= 3_000)).toBe(true)
      const crossed = links.filter((link) => link.target === "extended")
      expect(new Set(crossed.map((link) => link.export_row_id)).size).toBe(crossed.length)
      expect(new Set(crossed.map((link) => link.extended_row_id)).size).toBe(crossed.length)
      const music = summary.files.find((file) => file.format === "account-music")!
      expect(crossed.length).toBeGreaterThanOrEqual(music.rows - music.unmatched - 2)

      // Both music files span the gap; video and podcast files close none.
      const closures = Schema.decodeUnknownSync(Schema.Array(GapClosure))(yield* lines("state/gap-closures/"))
      expect(closures.map((closure) => closure.file).sort()).toEqual([
        expect.stringMatching(/^StreamingHistory_music_0\.json$/),
        expect.stringMatching(/^Streaming_History_Audio_.*\.json$/)
      ])
      for (const closure of closures) {
        expect(closure.gap).toMatchObject(lost)
        expect(closure.listens).toBeGreaterThanOrEqual(30)
      }
    }).pipe(Effect.provide(memory())))

  it.scoped("a live play the export does not hold is counted as live only", () =>
    Effect.gen(function*() {
      const who = listener(10, 40)
      const plays = livePlays(who)
      const stray = { ...plays[10]!, played_at_ms: EpochMs.make(plays[10]!.played_at_ms + 10 * 60_000), played_at: "later" }
      yield* Effect.flatMap(Lake, (lake) => lake.writePlays([...plays, { ...stray, played_at: new Date(stray.played_at_ms).toISOString() }]))
      const dir = yield* scratch
      const summary = yield* runImport([yield* writeZip(dir, filesOf(who))])
      expect(summary.matched_live).toBe(plays.length)
      expect(summary.live_only).toBe(1)
    }).pipe(Effect.provide(memory())))
})
