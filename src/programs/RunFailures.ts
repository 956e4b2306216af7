import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { epochMsOf } from "../domain/Instant.js"
import { initialSyncState } from "../domain/SyncState.js"
import { StateStore } from "../services/lake/StateStore.js"

/**
 * Notes a failed run for `status` beside the state (and, when Spotify refused the token, in the
 * state that syncing has stopped until the user reconnects). Best effort: a store that cannot be written is the
 * failure being reported already, so this only logs.
 */
export const recordFailure = (error: { readonly _tag: string; readonly message: string }) =>
  Effect.gen(function*() {
    const states = yield* StateStore
    const at = epochMsOf(yield* Clock.currentTimeMillis)
    yield* states.noteFailure({ at, error: error._tag, message: error.message })
    if (error._tag !== "SpotifyAuthRevoked") return
    const stored = yield* states.read
    const state = Option.match(stored, { onNone: () => initialSyncState, onSome: (v) => v.state })
    // Kept from the first refusal: it says since when syncing has stopped.
    if (state.auth_revoked !== null) return
    yield* states.write({ ...state, auth_revoked: { at, message: error.message } }, Option.map(stored, (v) => v.version))
  }).pipe(
    Effect.timeout(Duration.seconds(20)),
    Effect.catchAll((cause) => Effect.logWarning(`could not record the failed run in state: ${"message" in cause ? cause.message : "timed out"}`))
  )
