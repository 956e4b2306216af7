import { describe, expect, it } from "@effect/vitest"
import { FileSystem } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { Effect, Layer, Schema } from "effect"
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Gap } from "../../../src/domain/Gap.js"
import { EpochMs } from "../../../src/domain/Instant.js"
import { buildModels } from "../../../src/programs/BuildModels.js"
import { AnalyticsProject } from "../../../src/services/analytics/AnalyticsProject.js"
import * as DuckDbEngine from "../../../src/services/analytics/DuckDbEngine.js"
import * as S3LakeFiles from "../../../src/services/analytics/S3LakeFiles.js"
import { ObjectStorage } from "../../../src/services/storage/ObjectStorage.js"
import * as S3Storage from "../../../src/services/storage/S3Storage.js"
import { analyticsProject, exportRow, ms, play, quietBuild, rowsOf, writeLake } from "../../support/HandLake.js"
import { makeS3rver, s3rverClient } from "../../support/S3rverServer.js"

/*
 * The models over an S3 lake on s3rver (a real S3 wire server): the JSON objects come through
 * the lake's ObjectStorage into a local cache that fetches only what it lacks, and the Parquet
 * goes back to the bucket.
 */

const filesUnder = (dir: string): ReadonlyArray<string> =>
  readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => statSync(join(dir, f)).isFile()).sort()

/** A lake under a prefix of a fresh s3rver: objects uploaded as a sync or an import would, builds over a cache folder. */
const s3Lake = Effect.gen(function*() {
  const s3 = yield* makeS3rver()
  const fs = yield* FileSystem.FileSystem
  const options = { bucket: s3.bucket, prefix: "me/spotify", client: s3rverClient(s3.endpoint) }
  const storage = S3Storage.layer(options)
  const inBucket = <A, E, R>(use: Effect.Effect<A, E, R>) => Effect.provide(use, storage)
  const upload = (lake: Parameters<typeof writeLake>[1]) =>
    Effect.gen(function*() {
      const local = yield* fs.makeTempDirectoryScoped({ prefix: "upload-" })
      writeLake(local, lake)
      const objects = yield* ObjectStorage
      for (const key of filesUnder(local)) yield* objects.putIfAbsent(key, readFileSync(join(local, key), "utf8"))
    }).pipe(inBucket)
  const over = (cacheDir: string) =>
    Layer.mergeAll(
      AnalyticsProject.layer(analyticsProject),
      DuckDbEngine.layer(),
      S3LakeFiles.layer({ ...options, cacheDir }).pipe(Layer.provide(storage))
    ).pipe(Layer.provide(NodeContext.layer))
  const build = (cacheDir: string, sql = "SELECT count(*) AS n FROM listens") =>
    buildModels(quietBuild).pipe(
      Effect.flatMap((result) => Effect.map(rowsOf(sql), (rows) => ({ result, rows }))),
      Effect.provide(over(cacheDir))
    )
  const cacheFolder = fs.makeTempDirectoryScoped({ prefix: "s3-cache-" })
  return { build, cacheFolder, inBucket, upload }
})

describe("S3LakeFiles", () => {
  it.scoped("builds from a local cache of the bucket, fetching only new objects, and writes the Parquet to the bucket", () =>
    Effect.gen(function*() {
      const { build, cacheFolder, inBucket, upload } = yield* s3Lake

      yield* upload({
        plays: [play("2024-01-10T10:00:00Z", "One", "A"), play("2024-01-11T10:00:00Z", "Two", "A")],
        exports: [exportRow("extended", "2020-01-10T10:00:00Z", "Old", "B")]
      })
      const cache = yield* cacheFolder
      const first = yield* build(cache)
      expect(first.result.fetched).toBe(3)
      expect(first.rows).toEqual([{ n: 3 }])
      const inBucketKeys = yield* Effect.flatMap(ObjectStorage, (o) => o.list("warehouse/")).pipe(inBucket)
      expect(inBucketKeys).toContain("warehouse/manifest.json")
      expect(inBucketKeys.filter((key) => key.startsWith("warehouse/listens/year="))).toHaveLength(2)

      const second = yield* build(cache)
      expect(second.result.fetched).toBe(0)
      expect(second.result.written).toEqual([])

      yield* upload({ plays: [play("2024-01-12T10:00:00Z", "Three", "A")] })
      const third = yield* build(cache)
      expect(third.result.fetched).toBe(1)
      expect(third.rows).toEqual([{ n: 4 }])

      // Another machine, an empty cache: the fresh models' Parquet comes from the bucket.
      const elsewhere = yield* build(yield* cacheFolder)
      expect(elsewhere.result.models.find((m) => m.name === "export_rows")?.status).toBe("fresh")
      expect(elsewhere.result.fetched).toBeGreaterThan(3)
      expect(elsewhere.rows).toEqual([{ n: 4 }])
    }).pipe(Effect.provide(NodeContext.layer)), 60_000)

  it.scoped("a cached copy left empty (a machine that lost power before the disk had it) is fetched again", () =>
    Effect.gen(function*() {
      const { build, cacheFolder, upload } = yield* s3Lake
      yield* upload({ plays: [play("2024-01-10T10:00:00Z", "One", "A"), play("2024-01-11T10:00:00Z", "Two", "A")] })
      const cache = yield* cacheFolder
      expect((yield* build(cache)).rows).toEqual([{ n: 2 }])
      const [copy] = filesUnder(cache).filter((file) => file.startsWith("plays/"))
      writeFileSync(join(cache, copy ?? ""), "")

      // The next build that reads the plays (one more arrived) reads that one's rows too.
      yield* upload({ plays: [play("2024-01-12T10:00:00Z", "Three", "A")] })
      const again = yield* build(cache)
      expect(again.result.fetched).toBe(2)
      expect(again.rows).toEqual([{ n: 3 }])
      expect(statSync(join(cache, copy ?? "")).size).toBeGreaterThan(0)
    }).pipe(Effect.provide(NodeContext.layer)), 60_000)

  it.scoped("a cached copy cut short is fetched again: its rows whole, nothing named damaged", () =>
    Effect.gen(function*() {
      const { build, cacheFolder, upload } = yield* s3Lake
      yield* upload({ plays: [play("2024-01-10T10:00:00Z", "One", "A"), play("2024-01-10T11:00:00Z", "Two", "A")] })
      const cache = yield* cacheFolder
      expect((yield* build(cache)).rows).toEqual([{ n: 2 }])
      const [copy = ""] = filesUnder(cache).filter((file) => file.startsWith("plays/"))
      const whole = readFileSync(join(cache, copy), "utf8")
      writeFileSync(join(cache, copy), whole.slice(0, whole.length - 30))

      // DuckDB stops on the cut copy; read afresh from the bucket, the object is whole.
      yield* upload({ plays: [play("2024-01-12T10:00:00Z", "Three", "A")] })
      const again = yield* build(cache)
      expect(again.rows).toEqual([{ n: 3 }])
      expect(again.result.damaged).toEqual([])
      expect(readFileSync(join(cache, copy), "utf8")).toBe(whole)
    }).pipe(Effect.provide(NodeContext.layer)), 60_000)

  it.scoped("an object gone from the bucket is gone from the models, though its copy stays in the cache", () =>
    Effect.gen(function*() {
      const { build, cacheFolder, inBucket, upload } = yield* s3Lake
      yield* upload({
        plays: [play("2024-01-10T10:00:00Z", "One", "A"), play("2024-01-11T10:00:00Z", "Two", "A")],
        exports: [exportRow("extended", "2020-01-10T10:00:00Z", "Old", "B"), exportRow("extended", "2020-02-10T10:00:00Z", "Older", "B")]
      })
      const cache = yield* cacheFolder
      expect((yield* build(cache)).rows).toEqual([{ n: 4 }])

      const gone = yield* Effect.gen(function*() {
        const objects = yield* ObjectStorage
        const keys = [(yield* objects.list("plays/"))[0] ?? "", (yield* objects.list("exports/"))[0] ?? ""]
        for (const key of keys) yield* objects.remove(key)
        return keys
      }).pipe(inBucket)
      for (const key of gone) expect(filesUnder(cache)).toContain(key)

      expect((yield* build(cache)).rows).toEqual([{ n: 2 }])
    }).pipe(Effect.provide(NodeContext.layer)), 60_000)
  it.scoped("a state object changed in place in the bucket (a gap a retry widened) is read afresh, its cached copy replaced", () =>
    Effect.gen(function*() {
      const { build, cacheFolder, inBucket, upload } = yield* s3Lake
      const gap = { from: EpochMs.make(ms("2024-01-10T08:00:00Z")), to: EpochMs.make(ms("2024-01-10T09:00:00Z")), detected_at: EpochMs.make(ms("2024-01-10T10:00:00Z")) }
      yield* upload({ plays: [play("2024-01-10T10:00:00Z", "One", "A")], gaps: [gap] })
      const cache = yield* cacheFolder
      const gapEnd = "SELECT to_ms FROM gap_status"
      expect((yield* build(cache, gapEnd)).rows).toEqual([{ to_ms: gap.to }])

      const widened = { ...gap, to: EpochMs.make(ms("2024-01-10T09:40:00Z")) }
      const key = `state/gaps/${gap.from}.json`
      yield* Effect.flatMap(ObjectStorage, (objects) => objects.put(key, JSON.stringify(Schema.encodeSync(Gap)(widened)))).pipe(inBucket)
      const again = yield* build(cache, gapEnd)
      expect(again.rows).toEqual([{ to_ms: widened.to }])
      expect(again.result.models.find((m) => m.name === "gap_status")?.status).toBe("built")
      expect(JSON.parse(readFileSync(join(cache, key), "utf8")).to).toBe("2024-01-10T09:40:00.000Z")
    }).pipe(Effect.provide(NodeContext.layer)), 60_000)
})
