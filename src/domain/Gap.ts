import * as Schema from "effect/Schema"
import { InstantFromIso } from "./Instant.js"

/**
 * A window in which plays may have been lost: Spotify's page no longer reached back to any play
 * the lake already held. `from` is the newest play captured before (or when watching began),
 * `to` the oldest new play the page still showed.
 */
export const Gap = Schema.Struct({
  from: InstantFromIso,
  to: InstantFromIso,
  detected_at: InstantFromIso
})
export type Gap = typeof Gap.Type
