/**
 * The part of dbt's Jinja a model may use, and nothing more: `{{ ref('model') }}`,
 * `{{ source('name') }}`, `{{ var('name') }}` and `{{ config(materialized='parquet',
 * partition_by='column') }}`. Control flow, macros, comments and filters are refused by name,
 * so a model written for dbt fails loudly here instead of half-working.
 */
import { quote } from "./SqlText.js"

/** `view`: computed when read; `table`: computed once per build, in memory; `parquet`: written under warehouse/. */
export type Materialization = "view" | "table" | "parquet"

export interface ModelConfig {
  readonly materialized: Materialization
  readonly partitionBy: string | null
}

export interface ParsedTemplate {
  readonly config: ModelConfig
  readonly refs: ReadonlyArray<string>
  readonly sources: ReadonlyArray<string>
  readonly vars: ReadonlyArray<string>
}

export type SqlLiteral = string | number

export interface Bindings {
  readonly ref: (model: string) => string
  readonly source: (name: string) => string
  readonly var: (name: string) => SqlLiteral
}

const call = /\{\{\s*([a-z_]+)\s*\(([^)]*)\)\s*\}\}/g
const anyTag = /\{\{|\{%|\{#/
const quoted = /^'([^']*)'$/
const named = /^([a-z_]+)\s*=\s*'([^']*)'$/

const splitArgs = (args: string) => args.split(",").map((arg) => arg.trim()).filter((arg) => arg.length > 0)

const positional = (fn: string, args: string): string => {
  const [only, ...more] = splitArgs(args)
  const match = only === undefined ? null : quoted.exec(only)
  if (match?.[1] === undefined || more.length > 0) throw new Error(`${fn}() takes one quoted name, got ${fn}(${args})`)
  return match[1]
}

const parseConfig = (args: string): ModelConfig => {
  let materialized: Materialization = "view"
  let partitionBy: string | null = null
  for (const arg of splitArgs(args)) {
    const [, key, value] = named.exec(arg) ?? []
    if (key === "materialized" && (value === "view" || value === "table" || value === "parquet")) materialized = value
    else if (key === "partition_by" && value !== undefined && /^[a-z_]+$/.test(value)) partitionBy = value
    else throw new Error(`config() accepts materialized='view'|'table'|'parquet' and partition_by='column', not ${arg}`)
  }
  return { materialized, partitionBy }
}

/** Reads what a model's template declares; throws an Error naming the first unsupported construct. */
export const parseTemplate = (sql: string): ParsedTemplate => {
  const refs = new Set<string>()
  const sources = new Set<string>()
  const vars = new Set<string>()
  let config: ModelConfig = { materialized: "view", partitionBy: null }
  const rest = sql.replace(call, (_, fn: string, args: string) => {
    switch (fn) {
      case "ref":
        refs.add(positional(fn, args))
        break
      case "source":
        sources.add(positional(fn, args))
        break
      case "var":
        vars.add(positional(fn, args))
        break
      case "config":
        config = parseConfig(args)
        break
      default:
        throw new Error(`{{ ${fn}() }} is not supported (only ref, source, var and config are)`)
    }
    return ""
  })
  const stray = anyTag.exec(rest)
  if (stray !== null) {
    throw new Error(`"${stray[0]}" at offset ${stray.index}: Jinja blocks, comments, filters and macros are not supported`)
  }
  return { config, refs: [...refs], sources: [...sources], vars: [...vars] }
}

export const sqlLiteral = (value: SqlLiteral): string =>
  typeof value === "number" ? String(value) : quote(value)

/** The model's SQL with every tag replaced: refs and sources by relation names, vars by literals, config by nothing. */
export const renderTemplate = (sql: string, bindings: Bindings): string =>
  sql.replace(call, (_, fn: string, args: string) => {
    switch (fn) {
      case "ref":
        return bindings.ref(positional(fn, args))
      case "source":
        return bindings.source(positional(fn, args))
      case "var":
        return sqlLiteral(bindings.var(positional(fn, args)))
      default:
        return ""
    }
  }).trim()
