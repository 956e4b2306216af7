import * as athena from "aws-cdk-lib/aws-athena"
import * as glue from "aws-cdk-lib/aws-glue"
import { Stack } from "aws-cdk-lib/core"
import type { Construct } from "constructs"
import { playsTableColumns } from "./PlaysTable.js"

/** Partition projection of the lake's zero-padded UTC days (`year=YYYY/month=MM/day=DD`). */
export const dayProjection = {
  "projection.year.type": "integer",
  "projection.year.range": "2008,2099",
  "projection.month.type": "integer",
  "projection.month.range": "1,12",
  "projection.month.digits": "2",
  "projection.day.type": "integer",
  "projection.day.range": "1,31",
  "projection.day.digits": "2"
}

/**
 * Athena over the lake with no crawler: a Glue table on `plays/` whose partitions come from
 * projection (zero-padded year/month/day, as the lake names them), and a workgroup whose
 * results stay under `athena-results/` for a week.
 */
export const addPlaysCatalog = (scope: Construct, lakeUrl: string, catalogName: string) => {
  const database = new glue.CfnDatabase(scope, "Catalog", {
    catalogId: Stack.of(scope).account,
    databaseInput: { name: catalogName, description: "spotify-pipeline: the lake's plays, for Athena" }
  })
  const playsLocation = `${lakeUrl}/plays/`
  const table = new glue.CfnTable(scope, "PlaysTable", {
    catalogId: Stack.of(scope).account,
    databaseName: catalogName,
    tableInput: {
      name: "plays",
      description: "One row per play (plays/**/*.jsonl), partitioned by the UTC date of played_at; no crawler needed",
      tableType: "EXTERNAL_TABLE",
      parameters: {
        classification: "json",
        "projection.enabled": "true",
        ...dayProjection,
        "storage.location.template": `${playsLocation}year=\${year}/month=\${month}/day=\${day}/`
      },
      partitionKeys: [
        { name: "year", type: "string" },
        { name: "month", type: "string" },
        { name: "day", type: "string" }
      ],
      storageDescriptor: {
        location: playsLocation,
        inputFormat: "org.apache.hadoop.mapred.TextInputFormat",
        outputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
        serdeInfo: { serializationLibrary: "org.openx.data.jsonserde.JsonSerDe" },
        columns: [...playsTableColumns]
      }
    }
  })
  table.addResourceDependency(database)

  new athena.CfnWorkGroup(scope, "Queries", {
    name: catalogName,
    description: "spotify-pipeline: query the lake; results expire after 7 days",
    recursiveDeleteOption: true,
    workGroupConfiguration: {
      enforceWorkGroupConfiguration: true,
      resultConfiguration: {
        outputLocation: `${lakeUrl}/athena-results/`,
        encryptionConfiguration: { encryptionOption: "SSE_S3" }
      }
    }
  })
}
