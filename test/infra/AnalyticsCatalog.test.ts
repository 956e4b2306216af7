import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { App } from "aws-cdk-lib/core"
import { Match, Template } from "aws-cdk-lib/assertions"
import { zipSync } from "fflate"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { SpotifyPipelineStack } from "../../infra/lib/SpotifyPipelineStack.js"
import { partitionedByYear, warehouseTables } from "../../infra/lib/WarehouseTables.js"
import { AnalyticsProject } from "../../src/services/analytics/AnalyticsProject.js"
import { analyticsOver, handLake, rowsOf, withModels } from "../support/HandLake.js"

const glueType: Record<string, string> = {
  VARCHAR: "string",
  BIGINT: "bigint",
  INTEGER: "int",
  DOUBLE: "double",
  BOOLEAN: "boolean",
  "TIMESTAMP WITH TIME ZONE": "timestamp",
  DATE: "date",
  "VARCHAR[]": "array<string>"
}

describe("the Glue tables over warehouse/", () => {
  it.scoped("name every Parquet model with the columns and types DuckDB writes", () =>
    Effect.gen(function*() {
      const root = yield* handLake({})
      const project = yield* Effect.flatMap(AnalyticsProject, (p) => p.load).pipe(Effect.provide(analyticsOver(root)))
      const parquet = project.models.filter((m) => m.config.materialized === "parquet").map((m) => m.name).sort()
      expect(Object.keys(warehouseTables).sort()).toEqual(parquet)
      const written = yield* withModels(
        root,
        Effect.forEach(parquet, (model) =>
          rowsOf(`SELECT column_name, column_type FROM (DESCRIBE ${model})`).pipe(
            Effect.map((rows) => [model, Object.fromEntries(rows.map((r) => [String(r.column_name), glueType[String(r.column_type)] ?? r.column_type]))] as const)
          ))
      )
      expect(Object.fromEntries(written)).toEqual(warehouseTables)
    }))

  it("are in the stack: exports/ by source and day, listens by year, every model a Parquet table", () => {
    const dir = mkdtempSync(join(tmpdir(), "stack-"))
    try {
      const zip = join(dir, "lambda.zip")
      writeFileSync(zip, zipSync({ "index.mjs": new TextEncoder().encode("export const handler = async () => ({})\n") }))
      const app = new App({ outdir: join(dir, "cdk.out") })
      const template = Template.fromStack(new SpotifyPipelineStack(app, "SpotifyPipeline", { lambdaZip: zip }))
      template.hasResourceProperties("AWS::Glue::Table", {
        TableInput: Match.objectLike({
          Name: "exports",
          Parameters: Match.objectLike({ "projection.source.values": "extended,account" }),
          PartitionKeys: [{ Name: "source", Type: "string" }, { Name: "year", Type: "string" }, { Name: "month", Type: "string" }, { Name: "day", Type: "string" }]
        })
      })
      const json = JSON.stringify(template.toJSON())
      expect(json).toContain("/exports/source=${source}/year=${year}/month=${month}/day=${day}/")
      expect(json).toContain("/warehouse/listens/year=${year}/")
      for (const model of Object.keys(warehouseTables)) {
        const byYear = partitionedByYear.some((name) => name === model)
        template.hasResourceProperties("AWS::Glue::Table", {
          TableInput: Match.objectLike({
            Name: model,
            Parameters: Match.objectLike({ classification: "parquet" }),
            PartitionKeys: byYear ? [{ Name: "year", Type: "bigint" }] : [],
            StorageDescriptor: Match.objectLike({
              SerdeInfo: { SerializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe" }
            })
          })
        })
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})
