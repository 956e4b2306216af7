import { describe, expect, it, layer } from "@effect/vitest"
import { ConfigProvider, Effect, Layer, Option } from "effect"
import { ObjectStorage } from "../../../src/services/storage/ObjectStorage.js"
import type { S3StorageOptions } from "../../../src/services/storage/S3Storage.js"
import type { StorageError } from "../../../src/services/storage/ObjectStorage.js"
import { driveUntilDone, untilSleeping } from "../../support/TestClockDriver.js"
import { FakeS3, type FakeS3Server, makeFakeS3Server } from "../../support/FakeS3Server.js"
import { closedPort } from "../../support/LoopbackServer.js"
import { S3rver, s3rverClient } from "../../support/S3rverServer.js"
import { objectStorageContract } from "./ObjectStorage.contract.js"
import * as S3Storage from "../../../src/services/storage/S3Storage.js"

/*
 * Which server proves what:
 * - s3rver is a real S3 wire server: it proves requests are signed and encoded as S3 expects,
 *   bodies (unicode, several MB) survive, listing and its pagination. It ignores If-None-Match
 *   and If-Match, so the conditional half of the contract is not run against it.
 * - FakeS3Server (test/support) answers conditional writes as S3 does (412 PreconditionFailed,
 *   409 ConditionalRequestConflict, 404 for If-Match on a missing key), since no installable
 *   server enforces them, and can be switched to fail (403, 500, 503, hang) to prove the mapping.
 */

let layers = 0
const freshPrefix = () => `run-${process.pid}/lake-${++layers}`

const fakeClient = (endpoint: string) => ({
  endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
  maxAttempts: 1
})

const onS3rver = Layer.unwrapEffect(Effect.map(S3rver, ({ bucket, endpoint }) =>
  S3Storage.layer({ bucket, prefix: freshPrefix(), client: s3rverClient(endpoint) })))

const onFake = Layer.unwrapEffect(Effect.map(FakeS3, ({ bucket, endpoint }) =>
  S3Storage.layer({ bucket, prefix: freshPrefix(), client: fakeClient(endpoint) })))

layer(Layer.merge(S3rver.layer, FakeS3.layer))((it) => {
  objectStorageContract(it, "S3 on s3rver", onS3rver, { conditional: false })

  objectStorageContract(it, "S3 on the conditional-write loopback server", onFake, { conditional: true })

  describe("S3Storage on s3rver", () => {
    it.effect("lists across pages with a small page size (s3rver)", () =>
      Effect.gen(function*() {
        const { bucket, endpoint } = yield* S3rver
        const prefix = freshPrefix()
        const keys = Array.from({ length: 7 }, (_, i) => `plays/day=0${i}/p.jsonl`)
        const listed = yield* Effect.gen(function*() {
          const storage = yield* ObjectStorage
          yield* Effect.forEach(keys, (key) => storage.putIfAbsent(key, key))
          return yield* storage.list("plays/")
        }).pipe(Effect.provide(S3Storage.layer({ bucket, prefix, client: s3rverClient(endpoint), pageSize: 2 })))
        expect(listed).toEqual(keys)
      }))

    it.effect("keeps keys under a normalised prefix and lists them relative to it (s3rver)", () =>
      Effect.gen(function*() {
        const { bucket, endpoint } = yield* S3rver
        const root = freshPrefix()
        const client = s3rverClient(endpoint)
        yield* Effect.flatMap(ObjectStorage, (storage) => storage.putIfAbsent("state/sync.json", "v1")).pipe(
          Effect.provide(S3Storage.layer({ bucket, prefix: `/${root.replace("/", "//")}/`, client }))
        )
        const [relative, fromBucketRoot] = yield* Effect.all([
          Effect.flatMap(ObjectStorage, (storage) => storage.list("")).pipe(
            Effect.provide(S3Storage.layer({ bucket, prefix: root, client }))
          ),
          Effect.flatMap(ObjectStorage, (storage) => storage.list(`${root}/`)).pipe(
            Effect.provide(S3Storage.layer({ bucket, prefix: "", client }))
          )
        ])
        expect(relative).toEqual(["state/sync.json"])
        expect(fromBucketRoot).toEqual([`${root}/state/sync.json`])
      }))
  })
})

const withFake = <A, E>(
  body: (
    fake: FakeS3Server,
    layer: (options?: Pick<S3StorageOptions, "pageSize" | "timeout"> & { bucket?: string }) => Layer.Layer<ObjectStorage, unknown>
  ) => Effect.Effect<A, E>
) =>
  Effect.gen(function*() {
    const fake = yield* makeFakeS3Server()
    return yield* body(fake, (options) =>
      S3Storage.layer({ bucket: fake.bucket, prefix: "lake", client: fakeClient(fake.endpoint), ...options }))
  }).pipe(Effect.scoped)

const reasons = Effect.fn(function*(storage: typeof ObjectStorage.Service) {
  const reasonOf = <A>(effect: Effect.Effect<A, StorageError>) => Effect.map(Effect.flip(effect), (error) => error.reason)
  return [
    yield* reasonOf(storage.get("state/sync.json")),
    yield* reasonOf(storage.list("plays/")),
    yield* reasonOf(storage.putIfAbsent("plays/a.jsonl", "x")),
    yield* reasonOf(storage.putIfMatch("state/sync.json", "x", "\"etag\""))
  ]
})

describe("S3Storage on a loopback server of its own", () => {
  it.effect("lists across pages with a small page size, following continuation tokens", () =>
    withFake((fake, layer) =>
      Effect.gen(function*() {
        const storage = yield* ObjectStorage
        const keys = Array.from({ length: 5 }, (_, i) => `plays/day=0${i}/p.jsonl`)
        yield* Effect.forEach(keys, (key) => storage.putIfAbsent(key, key))
        expect(yield* storage.list("plays/")).toEqual(keys)
        const lists = fake.requests.filter((request) => request.includes("list-type=2"))
        expect(lists).toHaveLength(3)
        expect(lists.filter((request) => request.includes("continuation-token="))).toHaveLength(2)
        expect(lists.every((request) => request.includes("max-keys=2") && request.includes("prefix=lake%2Fplays%2F"))).toBe(true)
      }).pipe(Effect.provide(layer({ pageSize: 2 })))
    ))

  it.effect("answers 409 ConditionalRequestConflict as Conflict", () =>
    withFake((fake, layer) =>
      Effect.gen(function*() {
        const storage = yield* ObjectStorage
        const { etag } = yield* storage.putIfAbsent("state/sync.json", "v1")
        fake.conditionalFailure = 409
        expect((yield* Effect.flip(storage.putIfAbsent("state/sync.json", "v2"))).reason).toBe("Conflict")
        expect((yield* Effect.flip(storage.putIfMatch("state/sync.json", "v2", "\"stale\""))).reason).toBe("Conflict")
        expect(yield* storage.get("state/sync.json")).toEqual(Option.some({ body: "v1", etag }))
        expect(fake.requests.filter((request) => request.startsWith("PUT"))).toHaveLength(3)
      }).pipe(Effect.provide(layer()))
    ))

  it.effect("maps 403 to AccessDenied", () =>
    withFake((fake, layer) =>
      Effect.gen(function*() {
        fake.failWith = { status: 403 }
        const storage = yield* ObjectStorage
        expect(yield* reasons(storage)).toEqual(["AccessDenied", "AccessDenied", "AccessDenied", "AccessDenied"])
      }).pipe(Effect.provide(layer()))
    ))

  it.effect("maps 500, 503 and an HTML 503 to Unavailable", () =>
    withFake((fake, layer) =>
      Effect.gen(function*() {
        const storage = yield* ObjectStorage
        for (const failure of [{ status: 500 }, { status: 503 }, { status: 503, html: true }] as const) {
          fake.failWith = failure
          expect(yield* reasons(storage)).toEqual(["Unavailable", "Unavailable", "Unavailable", "Unavailable"])
        }
      }).pipe(Effect.provide(layer()))
    ))

  it.effect("maps a refused connection to Unavailable", () =>
    Effect.gen(function*() {
      const port = yield* closedPort
      const storage = yield* Effect.provide(
        ObjectStorage,
        S3Storage.layer({ bucket: "lake", prefix: "", client: fakeClient(`http://127.0.0.1:${port}`) })
      )
      expect(yield* reasons(storage)).toEqual(["Unavailable", "Unavailable", "Unavailable", "Unavailable"])
    }).pipe(Effect.scoped))

  it.effect("maps a request that outlives its timeout to Unavailable", () =>
    withFake((fake, layer) =>
      Effect.gen(function*() {
        const storage = yield* ObjectStorage
        fake.hang = true
        const attempt = yield* Effect.fork(Effect.flip(storage.get("state/sync.json")))
        yield* untilSleeping(attempt)
        const error = yield* driveUntilDone(attempt)
        expect(error.reason).toBe("Unavailable")
        expect(error.message).toContain("timed out")
      }).pipe(Effect.provide(layer({ timeout: "10 seconds" })))
    ))

  it.effect("reads a missing bucket as an error, not as a missing key", () =>
    withFake((fake, layer) =>
      Effect.gen(function*() {
        const storage = yield* ObjectStorage
        const error = yield* Effect.flip(storage.get("state/sync.json"))
        expect(error.reason).toBe("Invalid")
        expect(error.message).toContain("NoSuchBucket")
        expect(fake.requests).toHaveLength(1)
      }).pipe(Effect.provide(layer({ bucket: "no-such-bucket" })))
    ))

  it.effect("takes the endpoint from AWS_ENDPOINT_URL_S3 and then addresses the bucket path-style", () =>
    withFake((fake) =>
      Effect.gen(function*() {
        const storage = yield* ObjectStorage
        yield* storage.putIfAbsent("state/sync.json", "v1")
        expect(fake.requests).toEqual(["PUT /lake/lake/state/sync.json?x-id=PutObject"])
      }).pipe(
        Effect.provide(
          S3Storage.layer({
            bucket: fake.bucket,
            prefix: "lake",
            client: { credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 1 }
          }).pipe(Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map([["AWS_ENDPOINT_URL_S3", fake.endpoint]])))))
        )
      )
    ))
})
