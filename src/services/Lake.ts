import { Context, type Effect, Layer } from "effect"
import type { Play } from "../domain/Play.js"
import type { Gap, RunSummary } from "../domain/SyncState.js"
import { makeLake } from "./LakeLive.js"
import type { StorageError } from "./StorageError.js"

export interface LakeShape {
  /** Identities (`playKey`) of those `plays` already stored in the lake. */
  readonly knownPlays: (plays: ReadonlyArray<Play>) => Effect.Effect<ReadonlySet<string>, StorageError>
  /** Writes plays as one immutable JSON Lines object per UTC day; rewriting the same plays is a no-op. */
  readonly writePlays: (plays: ReadonlyArray<Play>) => Effect.Effect<ReadonlyArray<string>, StorageError>
  /** Keeps an API page verbatim under `raw/`. */
  readonly writeRaw: (body: string, fetchedAtMs: number) => Effect.Effect<string, StorageError>
  readonly recordGap: (gap: Gap) => Effect.Effect<string, StorageError>
  readonly gaps: Effect.Effect<ReadonlyArray<Gap>, StorageError>
  readonly recordRun: (summary: RunSummary, startedAtMs: number) => Effect.Effect<string, StorageError>
}

/** The lake's data and ledgers, laid out as the README's lake contract says. */
export class Lake extends Context.Tag("spotify-pipeline/Lake")<Lake, LakeShape>() {
  /** Over the lake's ObjectStorage (memory, folder or S3). */
  static readonly layer = Layer.effect(Lake, makeLake)
}
