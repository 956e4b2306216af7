/**
 * The lake's datasets as the models read them: where their objects live and the type of every
 * field. Types are given, never inferred, so a lake whose first file happens to hold only nulls
 * (or `month=01` partitions) reads the same as any other.
 */
import type * as Schema from "effect/Schema"
import { ExportLink } from "../exports/ExportLink.js"
import { ExportRow } from "../exports/ExportRow.js"
import { GapClosure } from "../exports/GapClosure.js"
import { Gap } from "../Gap.js"
import { Play } from "../Play.js"
import { SyncState } from "../SyncState.js"
import { ident, quote } from "./SqlText.js"

export interface SourceColumn {
  readonly name: string
  /** A DuckDB type. */
  readonly type: string
}

export interface LakeSource {
  readonly name: string
  /**
   * State objects (small, and some written in place: the sync state, a gap a retry widened): the
   * build reads each afresh and checks it against the schema the lake writes it with. One that
   * does not decode is left out and named, and the models' fingerprints follow what the objects
   * hold, not only their names. Data objects (immutable, named by their content) have none.
   */
  readonly state?: Schema.Schema.AnyNoContext
  /**
   * Data objects: the schema of each line as the lake writes it. A line that does not decode
   * (damaged by hand or by the disk) is left out of the models and named, not fatal.
   */
  readonly lines?: Schema.Schema.AnyNoContext
  /** Every object of the source has a key under this prefix ending with `suffix`. */
  readonly prefix: string
  readonly suffix: string
  /** JSON Lines (several records per object) or one JSON document per object. */
  readonly format: "newline_delimited" | "auto"
  readonly partitions: ReadonlyArray<SourceColumn>
  readonly columns: ReadonlyArray<SourceColumn>
}

const columns = (spec: Record<string, string>): ReadonlyArray<SourceColumn> =>
  Object.entries(spec).map(([name, type]) => ({ name, type }))

const days = columns({ year: "INTEGER", month: "INTEGER", day: "INTEGER" })

export const playsSource: LakeSource = {
  name: "plays",
  lines: Play,
  prefix: "plays/",
  suffix: ".jsonl",
  format: "newline_delimited",
  partitions: days,
  columns: columns({
    played_at: "TIMESTAMPTZ",
    played_at_ms: "BIGINT",
    track_id: "VARCHAR",
    track_uri: "VARCHAR",
    track_name: "VARCHAR",
    duration_ms: "BIGINT",
    artist_ids: "VARCHAR[]",
    artist_names: "VARCHAR[]",
    album_id: "VARCHAR",
    album_name: "VARCHAR",
    context_type: "VARCHAR",
    context_uri: "VARCHAR",
    is_local: "BOOLEAN",
    source: "VARCHAR"
  })
}

/** The privacy exports' rows, as the import writes them (exports/source=.../year=.../...). */
export const exportsSource: LakeSource = {
  name: "exports",
  lines: ExportRow,
  prefix: "exports/",
  suffix: ".jsonl",
  format: "newline_delimited",
  partitions: [{ name: "source", type: "VARCHAR" }, ...days],
  columns: columns({
    row_id: "VARCHAR",
    source: "VARCHAR",
    ended_at: "TIMESTAMPTZ",
    ended_at_ms: "BIGINT",
    ended_at_precision: "VARCHAR",
    ms_played: "BIGINT",
    kind: "VARCHAR",
    track_uri: "VARCHAR",
    track_name: "VARCHAR",
    artist_name: "VARCHAR",
    album_name: "VARCHAR",
    episode_uri: "VARCHAR",
    episode_name: "VARCHAR",
    show_name: "VARCHAR",
    audiobook_uri: "VARCHAR",
    audiobook_title: "VARCHAR",
    audiobook_chapter_uri: "VARCHAR",
    audiobook_chapter_title: "VARCHAR",
    reason_start: "VARCHAR",
    reason_end: "VARCHAR",
    skipped: "BOOLEAN",
    shuffle: "BOOLEAN",
    offline: "BOOLEAN",
    offline_at: "TIMESTAMPTZ",
    incognito: "BOOLEAN",
    platform: "VARCHAR",
    conn_country: "VARCHAR",
    source_file: "VARCHAR"
  })
}

/** The import's reconciliation: which export row is the same listen as which play or extended row. */
export const linksSource: LakeSource = {
  name: "links",
  lines: ExportLink,
  prefix: "links/",
  suffix: ".jsonl",
  format: "newline_delimited",
  partitions: days,
  columns: columns({
    export_row_id: "VARCHAR",
    export_source: "VARCHAR",
    target: "VARCHAR",
    play_key: "VARCHAR",
    extended_row_id: "VARCHAR",
    method: "VARCHAR",
    delta_ms: "BIGINT",
    at_ms: "BIGINT",
    linked_by: "VARCHAR"
  })
}

export const gapsSource: LakeSource = {
  name: "gaps",
  state: Gap,
  prefix: "state/gaps/",
  suffix: ".json",
  format: "auto",
  partitions: [],
  columns: columns({ from: "VARCHAR", to: "VARCHAR", detected_at: "VARCHAR" })
}

export const gapClosuresSource: LakeSource = {
  name: "gap_closures",
  state: GapClosure,
  prefix: "state/gap-closures/",
  suffix: ".json",
  format: "auto",
  partitions: [],
  columns: columns({
    gap: "STRUCT(\"from\" VARCHAR, \"to\" VARCHAR)",
    file: "VARCHAR",
    sha256: "VARCHAR",
    listens: "BIGINT",
    closed_at: "VARCHAR"
  })
}

/** When live capture began, and how far it has reached. */
export const syncStateSource: LakeSource = {
  name: "sync_state",
  state: SyncState,
  prefix: "state/sync.json",
  suffix: ".json",
  format: "auto",
  partitions: [],
  columns: columns({ watching_since: "VARCHAR", cursor: "VARCHAR" })
}

export const lakeSources: ReadonlyArray<LakeSource> = [
  playsSource,
  exportsSource,
  linksSource,
  gapsSource,
  gapClosuresSource,
  syncStateSource
]

export const sourceKeys = (source: LakeSource, keys: ReadonlyArray<string>) =>
  keys.filter((key) => key.startsWith(source.prefix) && key.endsWith(source.suffix))

const struct = (cols: ReadonlyArray<SourceColumn>) => `{${cols.map((c) => `${quote(c.name)}: ${quote(c.type)}`).join(", ")}}`

/** The source's partitions that its columns do not hold already. */
const partitionsBeyond = (source: LakeSource) => source.partitions.filter((p) => !source.columns.some((c) => c.name === p.name))

/** Every column a source's relation has: its fields, then the partitions beyond them. */
const relationColumns = (source: LakeSource) => [...source.columns, ...partitionsBeyond(source)]

/** No rows, with the columns `cols` name and type. */
const noRows = (cols: ReadonlyArray<SourceColumn>) => `SELECT ${cols.map((c) => `CAST(NULL AS ${c.type}) AS ${ident(c.name)}`).join(", ")} WHERE false`

/** Read from a table instead of their files: the readable lines of a source's damaged objects. */
export interface RepairedObjects {
  readonly table: string
  readonly keys: ReadonlySet<string>
}

/**
 * A relation over exactly `keys` (the source's objects as listed), read from `root` (a local
 * folder holding them at their keys). Never a glob: a cache may still hold an object the lake
 * no longer lists, and the models must not read it. The `repaired` objects are read from their table.
 */
export const sourceRelation = (source: LakeSource, root: string, keys: ReadonlyArray<string>, repaired?: RepairedObjects): string => {
  const files = repaired === undefined ? keys : keys.filter((key) => !repaired.keys.has(key))
  if (files.length === 0) return repaired === undefined ? `(${noRows(relationColumns(source))})` : `(SELECT * FROM ${ident(repaired.table)})`
  const paths = `[${files.map((key) => quote(`${root}/${key}`)).join(", ")}]`
  const hive = source.partitions.length === 0
    ? "hive_partitioning = false"
    : `hive_partitioning = true, hive_types = ${struct(source.partitions)}`
  const read = `read_json(${paths}, format = ${quote(source.format)}, columns = ${struct(source.columns)}, ${hive})`
  return repaired === undefined ? read : `(SELECT * FROM ${read} UNION ALL BY NAME SELECT * FROM ${ident(repaired.table)})`
}

/** A column type as json_transform takes it: `VARCHAR[]` is `["VARCHAR"]`. */
const transformType = (type: string): string => type.endsWith("[]") ? `[${transformType(type.slice(0, -2))}]` : JSON.stringify(type)

/** The partition values a key's path names (`year=2021/month=01/...`). */
const partitionsOf = (key: string) => new Map(key.split("/").flatMap((part) => {
  const at = part.indexOf("=")
  return at < 0 ? [] : [[part.slice(0, at), part.slice(at + 1)] as const]
}))

/** An empty temporary table with the columns `source`'s relation has: what the models read of its damaged objects, once `linesInto` fills it. */
export const linesTable = (source: LakeSource, table: string) =>
  `CREATE OR REPLACE TEMP TABLE ${ident(table)} AS ${noRows(relationColumns(source))}`

/**
 * One object's lines (each the JSON of one record, at least one) into `linesTable`'s table, typed
 * strictly as `source`'s files are read, with the partitions its key names.
 */
export const linesInto = (source: LakeSource, table: string, object: { readonly key: string; readonly lines: ReadonlyArray<string> }) => {
  const partitions = partitionsBeyond(source)
  const spec = `{${source.columns.map((c) => `${JSON.stringify(c.name)}: ${transformType(c.type)}`).join(", ")}}`
  const named = partitionsOf(object.key)
  const rows = object.lines.map((line) => `(${[quote(line), ...partitions.map((p) => quote(named.get(p.name) ?? ""))].join(", ")})`)
  const names = ["line", ...partitions.map((p) => p.name)].map(ident).join(", ")
  const casts = partitions.map((p) => `, CAST(${ident(p.name)} AS ${p.type}) AS ${ident(p.name)}`).join("")
  return `INSERT INTO ${ident(table)} SELECT unnest(json_transform_strict(line, ${quote(spec)}))${casts} FROM (VALUES ${rows.join(", ")}) AS lines(${names})`
}
