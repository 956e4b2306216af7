import * as Schema from "effect/Schema"

export const WarehouseFile = Schema.Struct({
  key: Schema.String,
  sha256: Schema.String,
  bytes: Schema.Number
})
export type WarehouseFile = typeof WarehouseFile.Type

export const BuiltModel = Schema.Struct({
  /** Of the model's SQL, its settings and everything it read: equal means a rebuild would write the same rows. */
  fingerprint: Schema.String,
  rows: Schema.Number,
  built_at: Schema.String,
  files: Schema.Array(WarehouseFile)
})
export type BuiltModel = typeof BuiltModel.Type

/** `warehouse/manifest.json`: what the last build wrote, so the next one rebuilds only what changed. */
export const WarehouseManifest = Schema.Struct({
  format: Schema.Literal(1),
  models: Schema.Record({ key: Schema.String, value: BuiltModel }),
  /** Data objects the build left lines out of (damaged): read again by the next build, which rebuilds once they read whole. */
  damaged: Schema.optional(Schema.Array(Schema.String))
})
export type WarehouseManifest = typeof WarehouseManifest.Type

export const emptyManifest: WarehouseManifest = { format: 1, models: {} }

export const manifestKey = "warehouse/manifest.json"

export const modelPrefix = (model: string) => `warehouse/${model}/`
