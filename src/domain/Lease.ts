import * as Schema from "effect/Schema"

/** `state/lease.json`: who holds the lake, until when; a killed run's lease simply expires. */
export const Lease = Schema.Struct({
  holder: Schema.String,
  acquired_at_ms: Schema.Number,
  expires_at_ms: Schema.Number
})
export type Lease = typeof Lease.Type
