import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { fingerprint } from "../domain/analytics/Fingerprint.js"
import { lakeSources, sourceKeys, sourceRelation } from "../domain/analytics/LakeSources.js"
import type { ModelProject } from "../domain/analytics/ModelProject.js"
import { type ModelCheck, genericChecks } from "../domain/analytics/ModelTests.js"
import { renderTemplate, type SqlLiteral } from "../domain/analytics/ModelTemplate.js"
import { ident, quote } from "../domain/analytics/SqlText.js"
import { emptyManifest, manifestKey, WarehouseManifest } from "../domain/analytics/WarehouseManifest.js"
import { AnalyticsProject } from "../services/analytics/AnalyticsProject.js"
import { LakeFiles } from "../services/analytics/LakeFiles.js"
import { SqlEngine } from "../services/analytics/SqlEngine.js"
import type { DamagedObject } from "../services/lake/LakeCodec.js"
import { BuildError, linesUnreadable, modelFailed, type ObjectOf } from "./BuildError.js"
import { objectNamed, readDamagedData } from "./DamagedData.js"
import { readStateSources } from "./StateSources.js"
import { writeParquet } from "./WriteParquet.js"

export type ModelVars = Readonly<Record<string, SqlLiteral>>

export const defaultVars = { session_gap_minutes: 30, counted_min_ms: 30_000 } as const

export interface BuildOptions {
  /** `tz` and anything the models read with var(); `defaultVars` fills the rest. */
  readonly vars: ModelVars
  /** Run the tests even when nothing was rebuilt (`models` does; `query` and `report` need not). */
  readonly testAlways: boolean
  readonly progress: (line: string) => Effect.Effect<void>
}

export interface ModelOutcome {
  readonly name: string
  /** `built`: computed and written as Parquet; `fresh`: its Parquet still holds; `table`: computed in memory; `view`: computed when read. */
  readonly status: "built" | "fresh" | "table" | "view"
  readonly rows: number | null
}

export interface BuildResult {
  readonly models: ReadonlyArray<ModelOutcome>
  readonly tests: number
  /** Objects an S3 lake's local cache had to fetch. */
  readonly fetched: number
  readonly written: ReadonlyArray<string>
  /** State objects that do not decode, and lines of data objects that do not: named, and left out of the models. */
  readonly damaged: ReadonlyArray<DamagedObject>
}

const relationOf = (relations: ReadonlyMap<string, string>, name: string) => {
  const relation = relations.get(name)
  // Every source a rendered model or test names is among those read (ModelProject checks the names).
  if (relation === undefined) throw new Error(`no relation for source('${name}')`)
  return relation
}

const decodeManifest = Schema.decodeUnknownOption(Schema.parseJson(WarehouseManifest))

const RowCount = Schema.Struct({ n: Schema.Number })
const countRows = (name: string) =>
  Effect.flatMap(SqlEngine, (sql) => sql.query(`SELECT count(*) AS n FROM ${ident(name)}`)).pipe(
    Effect.flatMap((result) => Schema.decodeUnknown(RowCount)(result.rows[0] ?? { n: 0 })),
    Effect.map((row) => row.n),
    Effect.orDie
  )

const runCheck = (objectOf: ObjectOf) => (check: ModelCheck) =>
  Effect.gen(function*() {
    const sql = yield* SqlEngine
    const run = (query: string) =>
      sql.query(query).pipe(
        Effect.mapError((cause) =>
          new BuildError({
            reason: "TestFailed",
            message: `model ${check.model}, test ${check.test} could not run: ${cause.message}`,
            cause,
            lakeObject: cause.reason === "InvalidData" ? objectOf(cause) : undefined
          })
        )
      )
    // Whether any row fails reads only the columns the test looks at; a view need not compute the rest.
    const found = yield* run(`SELECT 1 AS failing FROM (${check.sql}) LIMIT 1`)
    if (found.rows.length === 0) return
    const failing = yield* run(`SELECT * FROM (${check.sql}) LIMIT 3`)
    if (failing.rows.length > 0) {
      return yield* new BuildError({
        reason: "TestFailed",
        message: `model ${check.model}, test ${check.test} failed; for example ${JSON.stringify(failing.rows[0])}`
      })
    }
  })

/**
 * A data object the engine found damaged is left out, line by line, by building again (each one
 * found costs a build; past this many the lake is damaged beyond a few lines: the build stops on it).
 */
const damagedObjectsRepaired = 20

/**
 * Builds the models over the lake, tests them, and writes what changed as Parquet under
 * warehouse/. A data object the engine cannot read (a line damaged by hand or by the disk) is
 * named, and the models built again without its unreadable lines.
 */
export const buildModels = (options: BuildOptions) => {
  const attempt = (found: ReadonlySet<string>): ReturnType<typeof buildOnce> =>
    buildOnce(options, found).pipe(
      Effect.catchIf(
        (error): error is BuildError & { readonly lakeObject: string } =>
          error._tag === "BuildError" && error.lakeObject !== undefined && !found.has(error.lakeObject) &&
          found.size < damagedObjectsRepaired,
        (error) => attempt(new Set([...found, error.lakeObject]))
      )
    )
  return attempt(new Set()).pipe(Effect.withSpan("BuildModels"))
}

const buildOnce = (options: BuildOptions, found: ReadonlySet<string>) =>
  Effect.gen(function*() {
    const project: ModelProject = yield* Effect.flatMap(AnalyticsProject, (p) => p.load)
    const files = yield* LakeFiles
    const sql = yield* SqlEngine
    const vars: ModelVars = { ...defaultVars, ...options.vars }
    const varOf = (name: string) => {
      const value = vars[name]
      return value === undefined
        ? Effect.fail(new BuildError({ reason: "MissingVar", message: `the models need a value for var('${name}')` }))
        : Effect.succeed(value)
    }
    for (const name of [...project.models, ...project.tests].flatMap((m) => m.vars)) yield* varOf(name)

    const keysOf = new Map<string, ReadonlyArray<string>>()
    for (const source of lakeSources) keysOf.set(source.name, sourceKeys(source, yield* files.list(source.prefix)))
    const state = yield* readStateSources(keysOf)
    for (const [name, keys] of state.readable) keysOf.set(name, keys)
    for (const { problem } of state.damaged) yield* Effect.logWarning(`${problem}; left out of the models`)
    const manifest = Option.getOrElse(Option.flatMap(yield* files.readText(manifestKey), decodeManifest), () => emptyManifest)
    // Damaged data objects: those the engine named in this build, and those the last build left lines out of.
    const suspected = new Set([...found, ...(manifest.damaged ?? [])])
    const damagedData = yield* readDamagedData(
      new Map(lakeSources.map((source) => [source.name, (keysOf.get(source.name) ?? []).filter((key) => suspected.has(key))]))
    ).pipe(Effect.mapError((error) => error._tag === "DamagedLinesUnreadable" ? linesUnreadable(error) : error))
    for (const { problem } of damagedData.damaged) yield* Effect.logWarning(problem)
    const stored = new Set(yield* files.list("warehouse/"))
    const intact = (name: string) => manifest.models[name]?.files.every((file) => stored.has(file.key)) === true

    const prints = new Map<string, string>()
    const fresh = new Set<string>()
    for (const model of project.models) {
      const print = fingerprint([
        model.sql,
        ...model.vars.map((name) => `${name}=${vars[name]}`),
        ...model.refs.map((ref) => `ref:${ref}=${prints.get(ref)}`),
        ...model.sources.map((source) =>
          `source:${source}=${state.prints.get(source) ?? fingerprint(keysOf.get(source) ?? [])}${damagedData.prints.get(source) ?? ""}`
        )
      ])
      prints.set(model.name, print)
      const unchanged = manifest.models[model.name]?.fingerprint === print
      if (model.config.materialized === "parquet" && unchanged && intact(model.name)) fresh.add(model.name)
    }

    const computed = project.models.filter((model) => !fresh.has(model.name))
    // A table is worth computing once only for the models being rebuilt; tests and queries read the others as views.
    const feeding = new Set<string>()
    for (const model of [...project.models].reverse()) {
      if (feeding.has(model.name) || (model.config.materialized === "parquet" && !fresh.has(model.name))) {
        for (const ref of model.refs) feeding.add(ref)
      }
    }
    // Written as Parquet: every computed model so configured (a failure stops the build).
    const rebuilt = computed.filter((model) => model.config.materialized === "parquet")
    // Tests run when asked to or when a model is rebuilt: only then are their sources read.
    const testing = options.testAlways || rebuilt.length > 0
    const reading = [...computed, ...(testing ? project.tests : [])]
    const neededSources = lakeSources.filter((source) => reading.some((model) => model.sources.includes(source.name)))
    const warehouseKeys = [...fresh].flatMap((name) => manifest.models[name]?.files.map((file) => file.key) ?? [])
    const local = yield* files.localise([...neededSources.flatMap((source) => keysOf.get(source.name) ?? []), ...warehouseKeys])
    if (local.fetched > 0) yield* options.progress(`fetched ${local.fetched} new objects into the local cache`)

    // Written into the SQL that reads it rather than behind a view: DuckDB binds a list of files
    // (7,000 objects for 20 years of exports) each time a query names it, a view's creation included.
    const relations = new Map(neededSources.map((source) => [
      source.name,
      sourceRelation(source, local.root, keysOf.get(source.name) ?? [], damagedData.repaired.get(source.name))
    ]))
    const dataKeys = new Set(lakeSources.flatMap((source) => source.lines === undefined ? [] : keysOf.get(source.name) ?? []))
    const objectOf: ObjectOf = (cause) => {
      const key = objectNamed(cause.message, local.root)
      return key !== undefined && dataKeys.has(key) ? key : undefined
    }
    const bind = { ref: ident, source: (name: string) => relationOf(relations, name), var: (name: string) => vars[name] ?? "" }

    // A build run again in the same engine (a query retried) may make a view what was a table, or
    // the reverse, which CREATE OR REPLACE refuses: the other kind is dropped first.
    const kinds = yield* sql.query("SELECT table_name AS name, table_type AS kind FROM information_schema.tables WHERE table_schema = 'main'")
    const existing = new Map(kinds.rows.map((row) => [String(row.name), row.kind === "VIEW" ? "VIEW" : "TABLE"]))
    const create = (kind: "TABLE" | "VIEW", name: string, body: string) => {
      const before = existing.get(name)
      existing.set(name, kind)
      const drop = before === undefined || before === kind ? "" : `DROP ${before} ${ident(name)}; `
      return sql.execute(`${drop}CREATE OR REPLACE ${kind} ${ident(name)} AS ${body}`)
    }

    const outcomes: Array<ModelOutcome> = []
    for (const [i, model] of project.models.entries()) {
      const step = `[${i + 1}/${project.models.length}] ${model.name}`
      const built = manifest.models[model.name]
      if (fresh.has(model.name) && built !== undefined) {
        const parquet = built.files.map((file) => quote(`${local.root}/${file.key}`))
        const from = parquet.length === 0 ? "(SELECT 1 WHERE false)" : `read_parquet([${parquet.join(", ")}])`
        yield* create("VIEW", model.name, `SELECT * FROM ${from}`).pipe(Effect.mapError(modelFailed(model, objectOf)))
        outcomes.push({ name: model.name, status: "fresh", rows: built.rows })
        continue
      }
      const body = renderTemplate(model.sql, bind)
      if (model.config.materialized === "parquet") {
        yield* options.progress(`${step}: building`)
        yield* create("TABLE", model.name, body).pipe(Effect.mapError(modelFailed(model, objectOf)))
        outcomes.push({ name: model.name, status: "built", rows: yield* countRows(model.name) })
      } else if (model.config.materialized === "table" && feeding.has(model.name)) {
        yield* create("TABLE", model.name, body).pipe(Effect.mapError(modelFailed(model, objectOf)))
        outcomes.push({ name: model.name, status: "table", rows: null })
      } else {
        yield* create("VIEW", model.name, body).pipe(Effect.mapError(modelFailed(model, objectOf)))
        outcomes.push({ name: model.name, status: "view", rows: null })
      }
    }

    const rows = new Map(outcomes.map((outcome) => [outcome.name, outcome.rows ?? 0]))
    const checks = !testing ? [] : [
      ...genericChecks(project),
      ...project.tests.map((test): ModelCheck => ({
        model: [...test.refs, ...test.sources.map((source) => `source('${source}')`)].join(", "),
        test: test.name,
        sql: renderTemplate(test.sql, bind)
      }))
    ]
    if (testing) {
      yield* options.progress(`testing: ${checks.length} tests`)
      yield* Effect.forEach(checks, runCheck(objectOf), { discard: true })
    }

    const written = yield* writeParquet(
      rebuilt.map((model) => ({ model, print: prints.get(model.name) ?? "", rows: rows.get(model.name) ?? 0 })),
      manifest,
      damagedData.damaged.map((damaged) => damaged.key),
      options.progress
    )
    return { models: outcomes, tests: checks.length, fetched: local.fetched, written, damaged: [...state.damaged, ...damagedData.damaged] } satisfies BuildResult
  })
