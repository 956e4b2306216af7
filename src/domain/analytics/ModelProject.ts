import * as Schema from "effect/Schema"
import { lakeSources } from "./LakeSources.js"
import { type ModelConfig, parseTemplate } from "./ModelTemplate.js"

const TestValue = Schema.Union(Schema.String, Schema.Number, Schema.Boolean)

export const ColumnTest = Schema.Union(
  Schema.Literal("unique", "not_null"),
  Schema.Struct({ accepted_values: Schema.Struct({ values: Schema.NonEmptyArray(TestValue) }) })
)
export type ColumnTest = typeof ColumnTest.Type

export const ModelTest = Schema.Struct({
  unique_combination_of_columns: Schema.Struct({ combination_of_columns: Schema.NonEmptyArray(Schema.String) })
})

const ColumnDoc = Schema.Struct({
  name: Schema.String,
  description: Schema.optionalWith(Schema.String, { default: () => "" }),
  tests: Schema.optionalWith(Schema.Array(ColumnTest), { default: () => [] })
})

const ModelDoc = Schema.Struct({
  name: Schema.String,
  description: Schema.optionalWith(Schema.String, { default: () => "" }),
  tests: Schema.optionalWith(Schema.Array(ModelTest), { default: () => [] }),
  columns: Schema.optionalWith(Schema.Array(ColumnDoc), { default: () => [] })
})
export type ModelDoc = typeof ModelDoc.Type

/** A `schema.yml` as dbt writes it: the models' descriptions, columns and generic tests. */
export const SchemaFile = Schema.Struct({
  version: Schema.optional(Schema.Number),
  models: Schema.Array(ModelDoc)
})
export type SchemaFile = typeof SchemaFile.Type

export interface ModelFile {
  /** Relative to the models folder, e.g. `marts/listens.sql`; the name is the file's base name. */
  readonly path: string
  readonly sql: string
}

export interface Model {
  readonly name: string
  readonly path: string
  readonly sql: string
  readonly config: ModelConfig
  readonly refs: ReadonlyArray<string>
  readonly sources: ReadonlyArray<string>
  readonly vars: ReadonlyArray<string>
  readonly doc: ModelDoc | undefined
}

export interface SingularTest {
  readonly name: string
  readonly sql: string
  readonly refs: ReadonlyArray<string>
  readonly sources: ReadonlyArray<string>
  readonly vars: ReadonlyArray<string>
}

export interface ModelProject {
  /** In dependency order: every model after the models it refers to. */
  readonly models: ReadonlyArray<Model>
  readonly tests: ReadonlyArray<SingularTest>
}

const baseName = (path: string) => path.split("/").pop()?.replace(/\.sql$/, "") ?? path

const parsed = (path: string, sql: string) => {
  try {
    return parseTemplate(sql)
  } catch (error) {
    throw new Error(`${path}: ${error instanceof Error ? error.message : String(error)}`)
  }
}

const dependencyOrder = (models: ReadonlyArray<Model>): ReadonlyArray<Model> => {
  const byName = new Map(models.map((model) => [model.name, model]))
  const ordered: Array<Model> = []
  const state = new Map<string, "visiting" | "done">()
  const visit = (model: Model, chain: ReadonlyArray<string>) => {
    if (state.get(model.name) === "done") return
    if (state.get(model.name) === "visiting") {
      throw new Error(`models refer to each other in a loop: ${[...chain, model.name].join(" -> ")}`)
    }
    state.set(model.name, "visiting")
    for (const ref of model.refs) {
      const target = byName.get(ref)
      if (target === undefined) throw new Error(`${model.path}: ref('${ref}') names no model`)
      visit(target, [...chain, model.name])
    }
    state.set(model.name, "done")
    ordered.push(model)
  }
  for (const model of [...models].sort((a, b) => a.name.localeCompare(b.name))) visit(model, [])
  return ordered
}

/** Checks and orders a project; throws an Error naming the file at the first problem. */
export const makeProject = (
  files: ReadonlyArray<ModelFile>,
  testFiles: ReadonlyArray<ModelFile>,
  schemas: ReadonlyArray<SchemaFile>
): ModelProject => {
  const docs = new Map(schemas.flatMap((file) => file.models).map((doc) => [doc.name, doc]))
  const known = new Set(lakeSources.map((source) => source.name))
  const checked = (file: ModelFile) => {
    const template = parsed(file.path, file.sql)
    const unknown = template.sources.find((source) => !known.has(source))
    if (unknown !== undefined) throw new Error(`${file.path}: source('${unknown}') names no lake source`)
    return template
  }
  const models = files.map((file): Model => {
    const template = checked(file)
    return { name: baseName(file.path), path: file.path, sql: file.sql, ...template, doc: docs.get(baseName(file.path)) }
  })
  const names = new Set<string>()
  for (const model of models) {
    if (names.has(model.name)) throw new Error(`two models are named ${model.name}`)
    names.add(model.name)
  }
  const undocumented = [...docs.keys()].find((name) => !names.has(name))
  if (undocumented !== undefined) throw new Error(`schema.yml describes a model that does not exist: ${undocumented}`)
  const tests = testFiles.map((file): SingularTest => {
    const template = checked(file)
    const missing = template.refs.find((ref) => !names.has(ref))
    if (missing !== undefined) throw new Error(`${file.path}: ref('${missing}') names no model`)
    return { name: baseName(file.path), sql: file.sql, refs: template.refs, sources: template.sources, vars: template.vars }
  })
  return { models: dependencyOrder(models), tests }
}
