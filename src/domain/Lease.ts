import * as Schema from "effect/Schema"
import { runBudgetMs } from "./Deployment.js"

/**
 * `state/lease.json`: who holds the lake, until when; a killed run's lease simply expires. A
 * released lease says when it was released: it frees the lake whatever the clocks say.
 */
export const Lease = Schema.Struct({
  holder: Schema.String,
  acquired_at_ms: Schema.Number,
  expires_at_ms: Schema.Number,
  released_at_ms: Schema.optional(Schema.Number)
})
export type Lease = typeof Lease.Type

/** A lease outlives the run it guards by this much, so no two runs ever write at once. */
export const leaseMarginMs = 60 * 1000

/** No run holds the lake longer than its budget plus the margin. */
export const longestLeaseMs = runBudgetMs + leaseMarginMs

/**
 * A lease, not released, that would still run longer than any run holds one: written under a
 * clock ahead of this one (or by hand). It cannot keep the lake, or a clock set back would stop
 * every sync until the lease's far-off end.
 */
export const runsTooLong = (lease: Lease, nowMs: number): boolean =>
  lease.released_at_ms === undefined && lease.expires_at_ms - nowMs > longestLeaseMs

/** Whether `lease` keeps `holder` out at `nowMs`: held by another run, not released, not yet expired, nor running too long. */
export const keepsOut = (lease: Lease, holder: string, nowMs: number): boolean =>
  lease.holder !== holder &&
  lease.released_at_ms === undefined &&
  // Released by an earlier version, which set both instants to the moment of release.
  lease.expires_at_ms > lease.acquired_at_ms &&
  lease.expires_at_ms > nowMs &&
  !runsTooLong(lease, nowMs)
