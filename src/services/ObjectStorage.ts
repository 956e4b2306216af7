import type { FileSystem, Path } from "@effect/platform"
import { type ConfigError, Context, Layer } from "effect"
import { type FileSystemStorageOptions, makeFileSystem } from "./ObjectStorageFileSystem.js"
import { makeMemory } from "./ObjectStorageMemory.js"
import { makeS3, type S3StorageOptions } from "./ObjectStorageS3.js"
import type { ObjectStorageShape } from "./ObjectStorageShape.js"

export type { ObjectStorageShape, StoredObject } from "./ObjectStorageShape.js"

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
