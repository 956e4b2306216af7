import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import type { PlatformError } from "@effect/platform/Error"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { describeAwsFailure } from "../aws/AwsFailure.js"
import { ObjectStorage } from "../storage/ObjectStorage.js"
import { clientConfig, type S3StorageOptions } from "../storage/S3Storage.js"
import { LakeFiles, LakeFilesError } from "./LakeFiles.js"
import { contentNamedFiles } from "./LocalFiles.js"
import { fromStorageError, storedText } from "./StoredText.js"

export interface S3LakeFilesOptions extends S3StorageOptions {
  /** A local folder kept between runs: every object named in the lake is immutable, so a cached copy never goes stale. */
  readonly cacheDir: string
}

const localFailed = (key: string, action: string) => (error: PlatformError) =>
  new LakeFilesError({ reason: "Unavailable", key, message: `Could not ${action} the cached ${key}: ${error.message}`, cause: error })

const s3Failed = (key: string, action: string) => (error: unknown) => {
  const failure = describeAwsFailure(error)
  return new LakeFilesError({
    reason: failure.status === 401 || failure.status === 403 ? "AccessDenied" : "Unavailable",
    key,
    message: `S3 ${action} ${key} failed (${failure.status === undefined ? "no response" : `HTTP ${failure.status}`} ${failure.code}): ${failure.detail}`,
    cause: error
  })
}

const make = (options: S3LakeFilesOptions) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const storage = yield* ObjectStorage
    const text = yield* storedText
    const client = yield* Effect.acquireRelease(
      clientConfig(options).pipe(Effect.map((config) => new S3Client(config))),
      (client) => Effect.sync(() => client.destroy())
    )
    const root = path.resolve(options.cacheDir)
    const prefix = options.prefix.split("/").filter((s) => s !== "").map((s) => `${s}/`).join("")
    const cached = (key: string) => path.join(root, ...key.split("/"))

    // The JSON objects come through the lake's ObjectStorage; Parquet is bytes, which it does not carry yet.
    const download = (key: string) =>
      key.endsWith(".parquet")
        ? Effect.tryPromise({
          try: async () => {
            const output = await client.send(new GetObjectCommand({ Bucket: options.bucket, Key: `${prefix}${key}` }))
            return output.Body === undefined ? new Uint8Array() : await output.Body.transformToByteArray()
          },
          catch: s3Failed(key, "GetObject")
        })
        : storage.get(key).pipe(
          Effect.mapError(fromStorageError),
          Effect.flatMap(Option.match({
            onNone: () => Effect.fail(new LakeFilesError({ reason: "Invalid", key, message: `${key} is listed but gone` })),
            onSome: (object) => Effect.succeed(new TextEncoder().encode(object.body))
          }))
        )

    const keep = (key: string, write: (file: string) => Effect.Effect<void, PlatformError>) =>
      Effect.gen(function*() {
        const file = cached(key)
        const partial = `${file}.${process.pid}.partial`
        yield* fs.makeDirectory(path.dirname(file), { recursive: true })
        yield* write(partial)
        yield* fs.rename(partial, file)
      }).pipe(Effect.mapError(localFailed(key, "write")))

    const fetchMissing = (key: string) =>
      fs.exists(cached(key)).pipe(
        Effect.mapError(localFailed(key, "read")),
        Effect.flatMap((present) =>
          present
            ? Effect.succeed(0)
            : download(key).pipe(Effect.flatMap((bytes) => keep(key, (file) => fs.writeFile(file, bytes))), Effect.as(1))
        )
      )

    return {
      ...text,
      localise: Effect.fn("LakeFiles.localise")(function*(keys: ReadonlyArray<string>) {
        const fetched = yield* Effect.forEach(keys, fetchMissing, { concurrency: 16 })
        return { root, fetched: fetched.reduce((sum, n) => sum + n, 0) }
      }),
      scratch: fs.makeDirectory(root, { recursive: true }).pipe(
        Effect.zipRight(fs.makeTempDirectoryScoped({ directory: root, prefix: ".build-" })),
        Effect.mapError(localFailed("warehouse/", "make a build folder beside")),
        Effect.withSpan("LakeFiles.scratch")
      ),
      publishFolder: Effect.fn("LakeFiles.publishFolder")(function*(folder: string, keyPrefix: string) {
        const files = yield* contentNamedFiles(fs, path, folder, keyPrefix).pipe(
          Effect.mapError(localFailed(keyPrefix, "read the build of"))
        )
        return yield* Effect.forEach(files, ({ bytes, file, key, sha256 }) =>
          Effect.gen(function*() {
            yield* Effect.tryPromise({
              try: () => client.send(new PutObjectCommand({ Bucket: options.bucket, Key: `${prefix}${key}`, Body: bytes })),
              catch: s3Failed(key, "PutObject")
            })
            yield* keep(key, (partial) => fs.rename(file, partial))
            return { key, sha256, bytes: bytes.length }
          }))
      }),
      remove: Effect.fn("LakeFiles.remove")(function*(key: string) {
        yield* Effect.tryPromise({
          try: () => client.send(new DeleteObjectCommand({ Bucket: options.bucket, Key: `${prefix}${key}` })),
          catch: s3Failed(key, "DeleteObject")
        })
        yield* fs.remove(cached(key), { force: true }).pipe(Effect.mapError(localFailed(key, "remove")))
      })
    } satisfies typeof LakeFiles.Service
  })

/** An S3 lake, read into a local cache that fetches only the objects it lacks; Parquet is written back to S3. */
export const layer = (
  options: S3LakeFilesOptions
): Layer.Layer<LakeFiles, ConfigError.ConfigError, FileSystem.FileSystem | Path.Path | ObjectStorage> =>
  Layer.scoped(LakeFiles, make(options))
