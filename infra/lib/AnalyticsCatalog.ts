import * as glue from "aws-cdk-lib/aws-glue"
import { Stack } from "aws-cdk-lib/core"
import type { Construct } from "constructs"
import { exportsSource } from "../../src/domain/analytics/LakeSources.js"
import { dayProjection } from "./PlaysCatalog.js"
import { partitionedByYear, warehouseTables } from "./WarehouseTables.js"

/** Athena's name for a DuckDB type of a JSON field (instants stay ISO strings there, as in plays). */
export const jsonGlueType = (duckType: string) =>
  ({ VARCHAR: "string", BIGINT: "bigint", INTEGER: "int", BOOLEAN: "boolean", TIMESTAMPTZ: "string" })[duckType] ?? "string"

const stringKeys = (...names: ReadonlyArray<string>) => names.map((name) => ({ name, type: "string" }))

/**
 * Glue tables beside `plays`, partitions by projection (no crawler): `exports` over the privacy
 * export rows (JSON Lines), and one Parquet table per model under warehouse/, so Athena answers
 * the same SQL as `npm start -- query` at any scale. Needs the database addPlaysCatalog made.
 */
export const addAnalyticsCatalog = (scope: Construct, lakeUrl: string, catalogName: string) => {
  const database = scope.node.findChild("Catalog")
  const table = (id: string, tableInput: glue.CfnTable.TableInputProperty) =>
    new glue.CfnTable(scope, id, { catalogId: Stack.of(scope).account, databaseName: catalogName, tableInput })
      .node.addDependency(database)

  const exportsLocation = `${lakeUrl}/exports/`
  table("ExportsTable", {
    name: "exports",
    description: "Privacy-export rows (exports/**/*.jsonl), one per stream, partitioned by source and the UTC date it ended",
    tableType: "EXTERNAL_TABLE",
    parameters: {
      classification: "json",
      "projection.enabled": "true",
      "projection.source.type": "enum",
      "projection.source.values": "extended,account",
      ...dayProjection,
      "storage.location.template": `${exportsLocation}source=\${source}/year=\${year}/month=\${month}/day=\${day}/`
    },
    partitionKeys: stringKeys("source", "year", "month", "day"),
    storageDescriptor: {
      location: exportsLocation,
      inputFormat: "org.apache.hadoop.mapred.TextInputFormat",
      outputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
      serdeInfo: { serializationLibrary: "org.openx.data.jsonserde.JsonSerDe" },
      // The partition names the source; the row's own copy of it is the same value.
      columns: exportsSource.columns.filter((c) => c.name !== "source").map((c) => ({ name: c.name, type: jsonGlueType(c.type) }))
    }
  })

  for (const [model, columns] of Object.entries(warehouseTables)) {
    const location = `${lakeUrl}/warehouse/${model}/`
    const byYear = partitionedByYear.some((name) => name === model)
    table(`Warehouse${model.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase())}Table`, {
      name: model,
      description: `The ${model} model (warehouse/${model}/), Parquet written by npm start -- models`,
      tableType: "EXTERNAL_TABLE",
      parameters: {
        classification: "parquet",
        ...(byYear
          ? {
            "projection.enabled": "true",
            "projection.year.type": "integer",
            "projection.year.range": "2008,2099",
            "storage.location.template": `${location}year=\${year}/`
          }
          : {})
      },
      partitionKeys: byYear ? [{ name: "year", type: "bigint" }] : [],
      storageDescriptor: {
        location,
        inputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
        outputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
        serdeInfo: { serializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe" },
        columns: Object.entries(columns).filter(([name]) => !(byYear && name === "year")).map(([name, type]) => ({ name, type }))
      }
    })
  }
}
