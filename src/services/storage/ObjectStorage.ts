import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import type * as Option from "effect/Option"

/**
 * Why a storage call failed:
 * - `Conflict`: a create-only put found the key taken, or a compare-and-swap put found another version;
 * - `Unavailable`: the store could not be reached or answered with a server error (worth retrying later);
 * - `AccessDenied`: the store refused our credentials or permissions;
 * - `Invalid`: a bad key or a stored object we cannot read.
 */
export class StorageError extends Data.TaggedError("StorageError")<{
  readonly reason: "Conflict" | "Unavailable" | "AccessDenied" | "Invalid"
  readonly key: string
  readonly message: string
  readonly cause?: unknown
}> {}

export interface StoredObject {
  /** The object as UTF-8 text. */
  readonly body: string
  /** Opaque version tag; pass it to `putIfMatch` to compare-and-swap. */
  readonly etag: string
}

export interface StoredBytes {
  readonly bytes: Uint8Array
  readonly etag: string
}

/** What an object holds: text is stored as UTF-8. */
export type Body = string | Uint8Array

export interface NewObject {
  readonly key: string
  readonly body: Body
}

/** What a create-only put of one object of a batch found: its key free (now created) or taken (left as it was). */
export type PutOutcome = "created" | "exists"

export interface ObjectStorageShape {
  /** The object as text; reason `Invalid` when it is not UTF-8. */
  readonly get: (key: string) => Effect.Effect<Option.Option<StoredObject>, StorageError>
  readonly getBytes: (key: string) => Effect.Effect<Option.Option<StoredBytes>, StorageError>
  /** Every key under `prefix` (recursive), sorted. */
  readonly list: (prefix: string) => Effect.Effect<ReadonlyArray<string>, StorageError>
  /** Create-only: fails with reason `Conflict` when the key exists. */
  readonly putIfAbsent: (key: string, body: Body) => Effect.Effect<{ readonly etag: string }, StorageError>
  /**
   * Create-only, for many objects at once: each is created unless its key exists, which is
   * reported (`exists`), not failed. Outcomes are in the order given. Every object reported
   * `created` is as durable as one `putIfAbsent` makes it. Fails with reason `Invalid`, creating
   * nothing, when a key is invalid or given twice; after any other failure some objects may have
   * been created, each whole.
   */
  readonly putManyIfAbsent: (objects: ReadonlyArray<NewObject>) => Effect.Effect<ReadonlyArray<PutOutcome>, StorageError>
  /** Compare-and-swap: fails with reason `Conflict` unless the key holds exactly version `etag`. */
  readonly putIfMatch: (key: string, body: Body, etag: string) => Effect.Effect<{ readonly etag: string }, StorageError>
  /** Creates or replaces, for objects derived from the lake's data and rebuilt from it (`warehouse/`). */
  readonly put: (key: string, body: Body) => Effect.Effect<{ readonly etag: string }, StorageError>
  /** Removes the object; a missing one is not an error. */
  readonly remove: (key: string) => Effect.Effect<void, StorageError>
}

/**
 * The lake's object store, keys relative to the lake root (`plays/…`, `raw/…`, `state/…`).
 * Adapters, each exporting its `layer`: MemoryStorage, FileSystemStorage, S3Storage.
 */
export class ObjectStorage extends Context.Tag("spotify-pipeline/ObjectStorage")<ObjectStorage, ObjectStorageShape>() {}

const encoder = new TextEncoder()
const decoder = new TextDecoder("utf-8", { fatal: true })

export const bytesOf = (body: Body): Uint8Array => typeof body === "string" ? encoder.encode(body) : body

/** The object's bytes as text, or an `Invalid` error when they are not UTF-8. */
export const textOf = (key: string, bytes: Uint8Array): Effect.Effect<string, StorageError> =>
  Effect.try({
    try: () => decoder.decode(bytes),
    catch: (cause) => new StorageError({ reason: "Invalid", key, message: `Object ${key} is not UTF-8 text`, cause })
  })

// Segments starting with "." are refused so a store can keep its temp and lock files beside the data.
const validSegment = (segment: string) => segment.length > 0 && !segment.startsWith(".") && !segment.includes("\0")

/** Relative, "/"-separated, no empty, "." or ".." segments: the same keys on every store. */
export const isValidKey = (key: string) => key.split("/").every(validSegment)

/** A key prefix: "" or whole segments, the last one possibly partial or empty (`plays/`). */
export const isValidPrefix = (prefix: string) => {
  if (prefix.length === 0) return true
  const segments = prefix.split("/")
  const last = segments.pop() ?? ""
  return segments.every(validSegment) && (last.length === 0 || validSegment(last))
}

export const invalidKey = (key: string) =>
  new StorageError({
    reason: "Invalid",
    key,
    message: `Invalid key ${JSON.stringify(key)}: use relative "/"-separated segments, none empty or starting with "."`
  })

/** Why a batch cannot be written at all: a key that is invalid, or given twice. */
export const batchProblem = (objects: ReadonlyArray<NewObject>): StorageError | undefined => {
  const seen = new Set<string>()
  for (const { key } of objects) {
    if (!isValidKey(key)) return invalidKey(key)
    if (seen.has(key)) return new StorageError({ reason: "Invalid", key, message: `Key ${JSON.stringify(key)} is given twice in one batch` })
    seen.add(key)
  }
  return undefined
}
