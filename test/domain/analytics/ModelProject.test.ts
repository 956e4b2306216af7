import { describe, expect, it } from "@effect/vitest"
import { makeProject } from "../../../src/domain/analytics/ModelProject.js"
import { parseTemplate, renderTemplate } from "../../../src/domain/analytics/ModelTemplate.js"

const model = (path: string, sql: string) => ({ path, sql })

describe("model templates", () => {
  it("read ref, source, var and config, and render them as relations and literals", () => {
    const sql = "{{ config(materialized='parquet', partition_by='year') }}\nselect * from {{ ref('a') }}, {{ source('plays') }} where tz = {{ var('tz') }}"
    expect(parseTemplate(sql)).toEqual({
      config: { materialized: "parquet", partitionBy: "year" },
      refs: ["a"],
      sources: ["plays"],
      vars: ["tz"]
    })
    expect(renderTemplate(sql, { ref: (m) => `"${m}"`, source: (s) => `src_${s}`, var: () => "O'Neil" })).toBe(
      "select * from \"a\", src_plays where tz = 'O''Neil'"
    )
  })

  it.each([
    ["{% if true %}select 1{% endif %}", /Jinja blocks, comments, filters and macros are not supported/],
    ["select {{ this }}", /Jinja blocks/],
    ["select {{ dbt_utils.star('a') }}", /Jinja blocks/],
    ["select * from {{ adapter('x') }}", /\{\{ adapter\(\) \}\} is not supported/],
    ["select * from {{ ref('a', 'b') }}", /ref\(\) takes one quoted name/],
    ["{{ config(materialized='incremental') }} select 1", /config\(\) accepts/]
  ])("refuse what the runner does not support: %s", (sql, message) => {
    expect(() => parseTemplate(sql)).toThrow(message)
  })
})

describe("a model project", () => {
  it("orders models after the models they refer to", () => {
    const project = makeProject(
      [model("marts/c.sql", "select * from {{ ref('b') }}"), model("a.sql", "select 1"), model("b.sql", "select * from {{ ref('a') }}")],
      [],
      []
    )
    expect(project.models.map((m) => m.name)).toEqual(["a", "b", "c"])
  })

  it("names the file with an unknown ref, an unknown source, a loop, or a schema entry for no model", () => {
    expect(() => makeProject([model("x.sql", "select * from {{ ref('nope') }}")], [], [])).toThrow("x.sql: ref('nope') names no model")
    expect(() => makeProject([model("x.sql", "select * from {{ source('nope') }}")], [], [])).toThrow(
      "x.sql: source('nope') names no lake source"
    )
    expect(() =>
      makeProject([model("a.sql", "select * from {{ ref('b') }}"), model("b.sql", "select * from {{ ref('a') }}")], [], [])
    ).toThrow("models refer to each other in a loop: a -> b -> a")
    expect(() => makeProject([model("a.sql", "select 1")], [], [{ models: [{ name: "b", description: "", tests: [], columns: [] }] }]))
      .toThrow("schema.yml describes a model that does not exist: b")
  })
})
