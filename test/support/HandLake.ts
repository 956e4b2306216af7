import { FileSystem } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { Effect, Layer } from "effect"
import { createHash } from "node:crypto"
import { mkdirSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { type Play, playKey } from "../../src/domain/Play.js"
import { Schema } from "effect"
import { GapClosure } from "../../src/domain/exports/GapClosure.js"
import { Gap } from "../../src/domain/Gap.js"
import { TrackId, TrackUri } from "../../src/domain/Ids.js"
import { EpochMs } from "../../src/domain/Instant.js"
import { initialSyncState, SyncState } from "../../src/domain/SyncState.js"
import { type BuildOptions, buildModels } from "../../src/programs/BuildModels.js"
import { AnalyticsProject } from "../../src/services/analytics/AnalyticsProject.js"
import * as DuckDbEngine from "../../src/services/analytics/DuckDbEngine.js"
import * as FolderLakeFiles from "../../src/services/analytics/FolderLakeFiles.js"
import { SqlEngine } from "../../src/services/analytics/SqlEngine.js"
import { partition } from "../../src/services/lake/LakeLayout.js"
import * as FileSystemStorage from "../../src/services/storage/FileSystemStorage.js"

/*
 * Lakes written by hand, in the layout of the lake contract (plays/, exports/, links/, state/),
 * for models whose answers are known.
 */

export const ms = (iso: string) => new Date(iso).getTime()

export const play = (endedAt: string, track: string, artist: string, durationMs = 200_000): Play => ({
  played_at: new Date(endedAt).toISOString(),
  played_at_ms: EpochMs.make(ms(endedAt)),
  track_id: TrackId.make(track.replaceAll(" ", "")),
  track_uri: TrackUri.make(`spotify:track:${track.replaceAll(" ", "")}`),
  track_name: track,
  duration_ms: durationMs,
  artist_ids: [artist.replaceAll(" ", "")],
  artist_names: [artist],
  album_id: `${artist}-album`.replaceAll(" ", ""),
  album_name: `${artist} Album`,
  context_type: null,
  context_uri: null,
  is_local: false,
  source: "api"
})

export interface ExportRow {
  readonly row_id: string
  readonly source: "extended" | "account"
  readonly ended_at: string
  readonly ended_at_ms: number
  readonly [field: string]: unknown
}

const fields = [
  "ended_at_precision", "ms_played", "kind", "track_uri", "track_name", "artist_name", "album_name", "episode_uri",
  "episode_name", "show_name", "audiobook_uri", "audiobook_title", "audiobook_chapter_uri", "audiobook_chapter_title",
  "reason_start", "reason_end", "skipped", "shuffle", "offline", "offline_at", "incognito", "platform", "conn_country"
] as const

export const exportRow = (
  source: "extended" | "account",
  endedAt: string,
  track: string,
  artist: string,
  more: Readonly<Record<string, unknown>> = {}
): ExportRow => {
  const at = ms(endedAt)
  const base: Record<string, unknown> = Object.fromEntries(fields.map((field) => [field, null]))
  return {
    ...base,
    row_id: createHash("sha256").update(`${source}|${at}|${track}`).digest("hex").slice(0, 16),
    source,
    ended_at: new Date(at).toISOString(),
    ended_at_ms: at,
    ended_at_precision: source === "extended" ? "s" : "min",
    ms_played: 180_000,
    kind: "track",
    track_uri: source === "extended" ? `spotify:track:${track.replaceAll(" ", "")}` : null,
    track_name: track,
    artist_name: artist,
    album_name: source === "extended" ? `${artist} Album` : null,
    source_file: source === "extended" ? "Streaming_History_Audio_2024.json" : "StreamingHistory_music_0.json",
    ...more
  }
}

export interface Link {
  readonly export_row_id: string
  readonly export_source: "extended" | "account"
  readonly target: "play" | "extended"
  readonly play_key: string | null
  readonly extended_row_id: string | null
  readonly method: "uri" | "names"
  readonly delta_ms: number
  readonly at_ms: number
  readonly linked_by: string
}

export const linkToPlay = (row: ExportRow, target: Play): Link => ({
  export_row_id: row.row_id,
  export_source: row.source,
  target: "play",
  play_key: playKey(target),
  extended_row_id: null,
  method: row.source === "extended" ? "uri" : "names",
  delta_ms: row.ended_at_ms - target.played_at_ms,
  at_ms: row.ended_at_ms,
  linked_by: "f".repeat(64)
})

export const linkToExtended = (row: ExportRow, target: ExportRow): Link => ({
  export_row_id: row.row_id,
  export_source: row.source,
  target: "extended",
  play_key: null,
  extended_row_id: target.row_id,
  method: "names",
  delta_ms: row.ended_at_ms - target.ended_at_ms,
  at_ms: row.ended_at_ms,
  linked_by: "f".repeat(64)
})

export const gap = (from: string, to: string): Gap => ({
  from: EpochMs.make(ms(from)),
  to: EpochMs.make(ms(to)),
  detected_at: EpochMs.make(ms(to))
})

export interface HandLake {
  readonly plays?: ReadonlyArray<Play>
  readonly exports?: ReadonlyArray<ExportRow>
  readonly links?: ReadonlyArray<Link>
  readonly gaps?: ReadonlyArray<Gap>
  readonly closures?: ReadonlyArray<{ readonly gap: Gap; readonly file: string; readonly listens: number }>
  readonly watchingSince?: string
  readonly cursor?: string
}

const hash = (body: string) => createHash("sha256").update(body).digest("hex")

const write = (root: string, key: string, body: string) => {
  mkdirSync(dirname(join(root, key)), { recursive: true })
  writeFileSync(join(root, key), body)
}

const byDay = <A>(items: ReadonlyArray<A>, at: (item: A) => number, prefix: (item: A) => string) => {
  const groups = new Map<string, Array<A>>()
  for (const item of items) {
    const key = `${prefix(item)}${partition(at(item))}/`
    groups.set(key, [...(groups.get(key) ?? []), item])
  }
  return [...groups.entries()].map(([folder, group]) => {
    const body = group.map((item) => `${JSON.stringify(item)}\n`).join("")
    const instants = group.map(at)
    return { key: `${folder}${Math.min(...instants)}-${Math.max(...instants)}-${hash(body).slice(0, 16)}.jsonl`, body }
  })
}

/** Writes the lake's objects as the sync and the import name them. */
export const writeLake = (root: string, lake: HandLake) => {
  const objects = [
    ...byDay(lake.plays ?? [], (p) => p.played_at_ms, () => "plays/"),
    ...byDay(lake.exports ?? [], (r) => r.ended_at_ms, (r) => `exports/source=${r.source}/`),
    ...byDay(lake.links ?? [], (l) => l.at_ms, () => "links/"),
    ...(lake.gaps ?? []).map((g) => ({ key: `state/gaps/${g.from}.json`, body: JSON.stringify(Schema.encodeSync(Gap)(g)) })),
    ...(lake.closures ?? []).map((c) => {
      const sha = hash(c.file)
      const body = JSON.stringify(Schema.encodeSync(GapClosure)({
        gap: { from: c.gap.from, to: c.gap.to },
        file: c.file,
        sha256: sha,
        listens: c.listens,
        closed_at: new Date(c.gap.to).toISOString()
      }))
      return { key: `state/gap-closures/${c.gap.from}-${c.gap.to}-${sha.slice(0, 16)}.json`, body }
    })
  ]
  if (lake.watchingSince !== undefined) {
    objects.push({
      key: "state/sync.json",
      body: JSON.stringify(Schema.encodeSync(SyncState)({
        ...initialSyncState,
        cursor: lake.cursor === undefined ? null : EpochMs.make(ms(lake.cursor)),
        watching_since: EpochMs.make(ms(lake.watchingSince))
      }))
    })
  }
  for (const { body, key } of objects) write(root, key, body)
}

/** A fresh temp folder (removed with the scope) holding `lake`. */
export const handLake = (lake: HandLake) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const root = yield* fs.makeTempDirectoryScoped({ prefix: "hand-lake-" })
    writeLake(root, lake)
    return root
  }).pipe(Effect.provide(NodeContext.layer))

export const analyticsProject = new URL("../../analytics", import.meta.url).pathname

/** The models' ports over a folder lake: the repository's models (or `project`'s), DuckDB, the lake's files. */
export const analyticsOver = (root: string, project = analyticsProject) =>
  Layer.mergeAll(
    AnalyticsProject.layer(project),
    FolderLakeFiles.layer(root).pipe(Layer.provide(FileSystemStorage.layer(root))),
    DuckDbEngine.layer()
  ).pipe(Layer.provide(NodeContext.layer))

export const quietBuild: BuildOptions = { vars: { tz: "Europe/Paris" }, testAlways: true, progress: () => Effect.void }

/** Builds the models over the lake at `root` (in Paris time unless told), then runs `use` against them. */
export const withModels = <A, E, R>(root: string, use: Effect.Effect<A, E, R>, vars: BuildOptions["vars"] = quietBuild.vars) =>
  buildModels({ ...quietBuild, vars }).pipe(Effect.zipRight(use), Effect.provide(analyticsOver(root)))

/** The rows `sql` returns over the models built so far. */
export const rowsOf = (sql: string) => Effect.flatMap(SqlEngine, (engine) => engine.query(sql)).pipe(Effect.map((r) => r.rows))
