import { Context, Data, type Duration, type Effect, Layer, type Option, type Scope } from "effect"
import type { SyncState } from "../domain/SyncState.js"
import { makeStateStore } from "./StateStoreLive.js"
import type { StorageError } from "./StorageError.js"

export interface VersionedState {
  readonly state: SyncState
  readonly version: string
}

/** Another run holds the lake: this one steps aside rather than write beside it. */
export class LakeBusy extends Data.TaggedError("LakeBusy")<{
  readonly message: string
  readonly heldUntilMs: number
}> {}

export interface StateStoreShape {
  readonly read: Effect.Effect<Option.Option<VersionedState>, StorageError>
  /** Compare-and-swap: `expected` is the version read (none when there was no state); `Conflict` if it moved. */
  readonly write: (state: SyncState, expected: Option.Option<string>) => Effect.Effect<string, StorageError>
  /** Holds the lake for `ttl` (released when the scope closes); a crashed holder's lease lapses by itself. */
  readonly lease: (holder: string, ttl: Duration.Duration) => Effect.Effect<void, StorageError | LakeBusy, Scope.Scope>
}

/** `state/sync.json` and `state/lease.json` in the lake, both written with compare-and-swap. */
export class StateStore extends Context.Tag("spotify-pipeline/StateStore")<StateStore, StateStoreShape>() {
  /** Over the lake's ObjectStorage (memory, folder or S3). */
  static readonly layer = Layer.effect(StateStore, makeStateStore)
}
