import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig
} from "@aws-sdk/client-s3"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { httpUrl } from "../../domain/HttpUrl.js"
import { type AwsFailure, describeAwsFailure } from "../aws/AwsFailure.js"
import {
  batchProblem,
  type Body,
  bytesOf,
  invalidKey,
  isValidKey,
  isValidPrefix,
  type NewObject,
  ObjectStorage,
  type PutOutcome,
  StorageError,
  textOf
} from "./ObjectStorage.js"

export interface S3StorageOptions {
  readonly bucket: string
  /** Lake root inside the bucket; "" for the bucket root. */
  readonly prefix: string
  readonly client?: Pick<S3ClientConfig, "endpoint" | "region" | "credentials" | "forcePathStyle" | "maxAttempts">
  /** ListObjectsV2 page size (S3's default and maximum is 1000). */
  readonly pageSize?: number
  /** Per request, after the SDK's own retries. */
  readonly timeout?: Duration.DurationInput
}

/** Requests of one batch in flight at once, well under the 50 sockets the SDK opens to one host. */
const batchConcurrency = 16

/** A 404 about the key, not about the bucket. */
const isMissingKey = (error: unknown) => {
  const failure = describeAwsFailure(error)
  return failure.status === 404 && failure.code !== "NoSuchBucket"
}

const reasonFor = (failure: AwsFailure): StorageError["reason"] => {
  const { code, status } = failure
  if (status === undefined) return code === "CredentialsProviderError" ? "AccessDenied" : "Unavailable"
  if (status === 409 || status === 412) return "Conflict"
  if (status === 401 || status === 403) return "AccessDenied"
  if (status >= 500 || status === 429 || code === "RequestTimeout") return "Unavailable"
  return "Invalid"
}

/** Maps by HTTP status: 412/409 Conflict, 401/403 AccessDenied, 5xx/429/no answer Unavailable. */
const s3StorageError = (operation: string, key: string, error: unknown, reason?: StorageError["reason"]) => {
  const failure = describeAwsFailure(error)
  const status = failure.status === undefined ? "no response" : `HTTP ${failure.status}`
  // The SDK only finds out at the first request that it has no region: name the setting instead.
  const noRegion = /region is missing/i.test(failure.detail)
  return new StorageError({
    reason: reason ?? (noRegion ? "Invalid" : reasonFor(failure)),
    key,
    message: noRegion
      ? "No AWS region is set for the S3 lake: set AWS_REGION (for example AWS_REGION=eu-west-1), or a region in ~/.aws/config"
      : `S3 ${operation} ${key} failed (${status} ${failure.code}): ${failure.detail}`,
    cause: error
  })
}

const normalisePrefix = (prefix: string) => prefix.split("/").filter((segment) => segment.length > 0).join("/")

export const clientConfig = (options: S3StorageOptions) =>
  Effect.gen(function*() {
    const endpointUrl = (name: string) => Config.option(Config.map(httpUrl(name), (url) => url.toString()))
    const envEndpoint = yield* endpointUrl("AWS_ENDPOINT_URL_S3").pipe(
      Effect.flatMap((s3) => Option.isSome(s3) ? Effect.succeed(s3) : endpointUrl("AWS_ENDPOINT_URL"))
    )
    const envRegion = yield* Config.option(Config.nonEmptyString("AWS_REGION"))
    const endpoint = options.client?.endpoint ?? Option.getOrUndefined(envEndpoint)
    const overridden = endpoint !== undefined
    const region = options.client?.region ?? Option.getOrUndefined(envRegion) ?? (overridden ? "us-east-1" : undefined)
    const config: S3ClientConfig = {
      ...options.client,
      ...(endpoint === undefined ? {} : { endpoint }),
      ...(region === undefined ? {} : { region }),
      // S3-compatible servers rarely resolve virtual-hosted bucket names.
      forcePathStyle: options.client?.forcePathStyle ?? overridden,
      // Servers other than AWS may not understand the newer default checksums (s3rver corrupts bodies).
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED"
    }
    return config
  })

const make = (options: S3StorageOptions) =>
  Effect.gen(function*() {
    const config = yield* clientConfig(options)
    const client = yield* Effect.acquireRelease(
      Effect.sync(() => new S3Client(config)),
      (client) => Effect.sync(() => client.destroy())
    )
    const { bucket } = options
    const root = normalisePrefix(options.prefix)
    const rootSlash = root.length === 0 ? "" : `${root}/`
    const timeout = options.timeout ?? Duration.minutes(1)

    // `onMissingKey` handles a 404 about the key (not the bucket); every other failure is mapped by status.
    const send = <A, B = never>(
      operation: string,
      key: string,
      run: (signal: AbortSignal) => Promise<A>,
      onMissingKey?: (error: unknown) => Effect.Effect<B, StorageError>
    ): Effect.Effect<A | B, StorageError> =>
      Effect.tryPromise({ try: run, catch: (error) => error }).pipe(
        Effect.catchAll((error): Effect.Effect<B, StorageError> =>
          onMissingKey !== undefined && isMissingKey(error)
            ? onMissingKey(error)
            : Effect.fail(s3StorageError(operation, key, error))
        ),
        Effect.timeoutFail({
          duration: timeout,
          onTimeout: () =>
            new StorageError({ reason: "Unavailable", key, message: `S3 ${operation} ${key} timed out after ${Duration.format(timeout)}` })
        })
      )

    const checkKey = (key: string) => isValidKey(key) ? Effect.succeed(`${rootSlash}${key}`) : Effect.fail(invalidKey(key))

    const put = (key: string, body: Body, condition: { IfNoneMatch: "*" } | { IfMatch: string } | {}) =>
      Effect.gen(function*() {
        const fullKey = yield* checkKey(key)
        const output = yield* send(
          "PutObject",
          key,
          (abortSignal) =>
            client.send(new PutObjectCommand({ Bucket: bucket, Key: fullKey, Body: bytesOf(body), ...condition }), {
              abortSignal
            }),
          // S3 answers 404 to If-Match on a missing key: the version we expected is not there.
          (error) => Effect.fail(s3StorageError("PutObject", key, error, "IfMatch" in condition ? "Conflict" : undefined))
        )
        if (output.ETag === undefined) {
          return yield* Effect.fail(new StorageError({ reason: "Invalid", key, message: `S3 PutObject ${key} returned no ETag` }))
        }
        return { etag: output.ETag }
      })

    const getBytes = Effect.fn("ObjectStorage.getBytes")(function*(key: string) {
      const fullKey = yield* checkKey(key)
      const found = yield* send(
        "GetObject",
        key,
        async (abortSignal) => {
          const output = await client.send(new GetObjectCommand({ Bucket: bucket, Key: fullKey }), { abortSignal })
          const bytes = output.Body === undefined ? new Uint8Array() : await output.Body.transformToByteArray()
          return Option.some({ bytes, etag: output.ETag })
        },
        () => Effect.succeedNone
      )
      if (Option.isNone(found)) return Option.none()
      const { bytes, etag } = found.value
      if (etag === undefined) {
        return yield* Effect.fail(new StorageError({ reason: "Invalid", key, message: `S3 GetObject ${key} returned no ETag` }))
      }
      return Option.some({ bytes, etag })
    })

    return {
      get: Effect.fn("ObjectStorage.get")(function*(key: string) {
        const found = yield* getBytes(key)
        if (Option.isNone(found)) return Option.none()
        return Option.some({ body: yield* textOf(key, found.value.bytes), etag: found.value.etag })
      }),
      getBytes,
      list: Effect.fn("ObjectStorage.list")(function*(prefix: string) {
        if (!isValidPrefix(prefix)) return yield* Effect.fail(invalidKey(prefix))
        const fullPrefix = `${rootSlash}${prefix}`
        const keys: Array<string> = []
        let token: string | undefined = undefined
        do {
          const page = yield* send("ListObjectsV2", prefix, (abortSignal) =>
            client.send(
              new ListObjectsV2Command({
                Bucket: bucket,
                ...(fullPrefix.length === 0 ? {} : { Prefix: fullPrefix }),
                ...(options.pageSize === undefined ? {} : { MaxKeys: options.pageSize }),
                ...(token === undefined ? {} : { ContinuationToken: token })
              }),
              { abortSignal }
            ))
          for (const object of page.Contents ?? []) {
            if (object.Key !== undefined && object.Key.startsWith(rootSlash)) keys.push(object.Key.slice(rootSlash.length))
          }
          token = page.IsTruncated === true ? page.NextContinuationToken : undefined
        } while (token !== undefined)
        return keys.sort()
      }),
      putIfAbsent: Effect.fn("ObjectStorage.putIfAbsent")(function*(key: string, body: Body) {
        return yield* put(key, body, { IfNoneMatch: "*" })
      }),
      putManyIfAbsent: Effect.fn("ObjectStorage.putManyIfAbsent")(function*(objects: ReadonlyArray<NewObject>) {
        const problem = batchProblem(objects)
        if (problem !== undefined) return yield* Effect.fail(problem)
        return yield* Effect.forEach(objects, ({ body, key }) =>
          put(key, body, { IfNoneMatch: "*" }).pipe(
            Effect.as<PutOutcome>("created"),
            Effect.catchIf((error) => error.reason === "Conflict", () => Effect.succeed<PutOutcome>("exists"))
          ), { concurrency: batchConcurrency })
      }),
      putIfMatch: Effect.fn("ObjectStorage.putIfMatch")(function*(key: string, body: Body, etag: string) {
        return yield* put(key, body, { IfMatch: etag })
      }),
      put: Effect.fn("ObjectStorage.put")(function*(key: string, body: Body) {
        return yield* put(key, body, {})
      }),
      remove: Effect.fn("ObjectStorage.remove")(function*(key: string) {
        const fullKey = yield* checkKey(key)
        // S3 answers 204 whether or not the key existed.
        yield* send("DeleteObject", key, (abortSignal) =>
          client.send(new DeleteObjectCommand({ Bucket: bucket, Key: fullKey }), { abortSignal }))
      })
    } satisfies typeof ObjectStorage.Service
  })

/**
 * Objects under `prefix` in `bucket`, on S3 or an S3-compatible server (`AWS_ENDPOINT_URL_S3`
 * or `client.endpoint`); conditional puts use S3's If-None-Match / If-Match.
 */
export const layer = (options: S3StorageOptions): Layer.Layer<ObjectStorage, ConfigError.ConfigError> =>
  Layer.scoped(ObjectStorage, make(options))
