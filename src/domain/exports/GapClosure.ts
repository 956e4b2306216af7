import * as Schema from "effect/Schema"
import { InstantFromIso } from "../Instant.js"

/**
 * `state/gap-closures/<from_ms>-<to_ms>-<sha16>.json`: an imported file covered a window in which
 * live capture may have lost plays, and this many export listens fell inside it. The gap itself
 * stays in the ledger as history.
 */
export const GapClosure = Schema.Struct({
  gap: Schema.Struct({ from: InstantFromIso, to: InstantFromIso }),
  file: Schema.String,
  sha256: Schema.String,
  listens: Schema.Number,
  closed_at: Schema.String
})
export type GapClosure = typeof GapClosure.Type
