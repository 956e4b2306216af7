import type { FileSystem, Path } from "@effect/platform"
import { type ConfigError, Context, type Effect, Layer, type Option } from "effect"
import { type FileSystemStorageOptions, makeFileSystem } from "./ObjectStorageFileSystem.js"
import { makeMemory } from "./ObjectStorageMemory.js"
import { makeS3, type S3StorageOptions } from "./ObjectStorageS3.js"
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

/** The lake's object store, keys relative to the lake root (`plays/…`, `raw/…`, `state/…`). */
export class ObjectStorage extends Context.Tag("spotify-pipeline/ObjectStorage")<ObjectStorage, ObjectStorageShape>() {
  /** A fresh, empty store per layer build. */
  static readonly layerMemory: Layer.Layer<ObjectStorage> = Layer.effect(ObjectStorage, makeMemory)

  /** Files under `root` (created on first write). */
  static readonly layerFileSystem = (
    root: string,
    options?: FileSystemStorageOptions
  ): Layer.Layer<ObjectStorage, never, FileSystem.FileSystem | Path.Path> =>
    Layer.effect(ObjectStorage, makeFileSystem(root, options))

  /** Objects under `prefix` in `bucket`; `AWS_ENDPOINT_URL_S3` (or `client.endpoint`) selects an S3-compatible server. */
  static readonly layerS3 = (options: S3StorageOptions): Layer.Layer<ObjectStorage, ConfigError.ConfigError> =>
    Layer.scoped(ObjectStorage, makeS3(options))
}
