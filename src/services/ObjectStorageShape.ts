import type { Effect, Option } from "effect"
import type { StorageError } from "./StorageError.js"

export interface StoredObject {
  readonly body: string
  /** Opaque version tag; pass it to `putIfMatch` to compare-and-swap. */
  readonly etag: string
}

export interface ObjectStorageShape {
  readonly get: (key: string) => Effect.Effect<Option.Option<StoredObject>, StorageError>
  /** Every key under `prefix` (recursive), sorted. */
  readonly list: (prefix: string) => Effect.Effect<ReadonlyArray<string>, StorageError>
  /** Create-only: fails with reason `Conflict` when the key exists. */
  readonly putIfAbsent: (key: string, body: string) => Effect.Effect<{ readonly etag: string }, StorageError>
  /** Compare-and-swap: fails with reason `Conflict` unless the key holds exactly version `etag`. */
  readonly putIfMatch: (key: string, body: string, etag: string) => Effect.Effect<{ readonly etag: string }, StorageError>
}
