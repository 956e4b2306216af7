import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { epochMsOf, InstantFromIso } from "./Instant.js"
import { RunSummary } from "./RunSummary.js"

/** Spotify refused the refresh token (invalid_grant): syncing cannot resume until the user reconnects. */
export const AuthRevoked = Schema.Struct({
  at: InstantFromIso,
  message: Schema.String
})
export type AuthRevoked = typeof AuthRevoked.Type

/** `state/last-failure.json`: a run that ended in an error, and why; `status` shows it until a later run succeeds. */
export const RunFailure = Schema.Struct({
  at: InstantFromIso,
  error: Schema.String,
  message: Schema.String
})
export type RunFailure = typeof RunFailure.Type

/** The run log keeps this many of the most recent runs, so `state/sync.json` stays small for good. */
export const runLogLength = 100

/** The newest format of `state/sync.json` this version reads and writes. */
export const syncStateFormat = 2 as const

/**
 * The format a state's text declares, when it is one this version does not know yet (written by a
 * newer spotify-pipeline): such a state is not damaged, and must not be set aside as if it were.
 */
export const newerFormatOf = (text: string): number | undefined => {
  try {
    const value: unknown = JSON.parse(text)
    const format: unknown = typeof value === "object" && value !== null ? Reflect.get(value, "format") : undefined
    return typeof format === "number" && format > syncStateFormat ? format : undefined
  } catch {
    return undefined
  }
}

const SyncStateV2 = Schema.Struct({
  format: Schema.Literal(syncStateFormat),
  /** When the first sync began reading Spotify: plays after it are ours to capture, even before the first lands. */
  watching_since: Schema.NullOr(InstantFromIso),
  /** The newest played_at in the lake (for people: gap detection reads the lake itself). */
  cursor: Schema.NullOr(InstantFromIso),
  last_run: Schema.NullOr(RunSummary),
  /** The most recent runs, oldest first, at most `runLogLength`. */
  runs: Schema.Array(RunSummary),
  /** Kept from the first refused refresh until a sync succeeds again. */
  auth_revoked: Schema.NullOr(AuthRevoked)
})

/** The first format (before 0.2): instants twice, as ms and as text; no run log or failure. */
const SyncStateV1 = Schema.Struct({
  format: Schema.Literal(1),
  cursor_ms: Schema.NullOr(Schema.Number),
  watching_since_ms: Schema.NullOr(Schema.Number),
  last_run: Schema.NullOr(RunSummary),
  auth_revoked: Schema.optionalWith(
    Schema.NullOr(Schema.Struct({ at_ms: Schema.Number, message: Schema.String })),
    { default: () => null }
  )
})

const ms = (value: number | null) => value === null ? null : epochMsOf(value)

const fromV1 = Schema.transformOrFail(SyncStateV1, Schema.typeSchema(SyncStateV2), {
  strict: true,
  decode: (v1) =>
    ParseResult.succeed({
      format: syncStateFormat,
      watching_since: ms(v1.watching_since_ms),
      cursor: ms(v1.cursor_ms),
      last_run: v1.last_run,
      runs: v1.last_run === null ? [] : [v1.last_run],
      auth_revoked: v1.auth_revoked === null ? null : { at: epochMsOf(v1.auth_revoked.at_ms), message: v1.auth_revoked.message }
    }),
  encode: (state, _, ast) => ParseResult.fail(new ParseResult.Forbidden(ast, state, "the first format is read, never written"))
})

/** `state/sync.json`: moved only after the data it describes is in the lake. Reads both formats, writes the second. */
export const SyncState = Schema.Union(SyncStateV2, fromV1)
export type SyncState = typeof SyncStateV2.Type

export const initialSyncState: SyncState = {
  format: syncStateFormat,
  watching_since: null,
  cursor: null,
  last_run: null,
  runs: [],
  auth_revoked: null
}

/** The state with `run` appended to the run log, trimmed to the most recent `runLogLength`. */
export const withRun = (state: SyncState, run: RunSummary): SyncState => ({
  ...state,
  last_run: run,
  runs: [...state.runs, run].slice(-runLogLength)
})

