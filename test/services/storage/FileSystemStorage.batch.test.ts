import { FileSystem } from "@effect/platform"
import { SystemError } from "@effect/platform/Error"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Layer, Option } from "effect"
import { dirname, join } from "node:path"
import { ObjectStorage } from "../../../src/services/storage/ObjectStorage.js"
import * as FileSystemStorage from "../../../src/services/storage/FileSystemStorage.js"
import { tempDir } from "../../support/TempDir.js"

/** What the store asked of the file system, in order: a file or folder synced, a name linked. */
type Step = { readonly op: "sync"; readonly path: string } | { readonly op: "link"; readonly from: string; readonly to: string }

interface Faults {
  /** The process dies as it starts the n-th link (from 1): that one and every later call never happen. */
  readonly dieAtLink?: number
  /** The n-th body written (from 1) stops half way: the disk is full. */
  readonly fullAtWrite?: number
}

/** The real file system, watched, with the faults asked for. */
const watched = (steps: Array<Step>, faults: Faults) =>
  Layer.effect(
    FileSystem.FileSystem,
    Effect.map(FileSystem.FileSystem, (fs): FileSystem.FileSystem => {
      let links = 0
      let writes = 0
      let dead = false
      const alive = <A, E, R>(call: () => Effect.Effect<A, E, R>) => Effect.suspend(() => dead ? Effect.interrupt : call())
      const full = (path: string) =>
        new SystemError({ reason: "Unknown", module: "FileSystem", method: "writeAll", pathOrDescriptor: path, description: "ENOSPC" })
      const watchedFile = (file: FileSystem.File, path: string): FileSystem.File => ({
        [FileSystem.FileTypeId]: FileSystem.FileTypeId,
        fd: file.fd,
        stat: file.stat,
        seek: file.seek,
        read: file.read,
        readAlloc: file.readAlloc,
        truncate: file.truncate,
        write: file.write,
        sync: Effect.zipRight(Effect.sync(() => steps.push({ op: "sync", path })), file.sync),
        writeAll: (bytes) =>
          Effect.suspend(() =>
            ++writes === faults.fullAtWrite
              ? Effect.zipRight(file.writeAll(bytes.subarray(0, bytes.length >> 1)), Effect.fail(full(path)))
              : file.writeAll(bytes)
          )
      })
      return {
        ...fs,
        open: (path, options) => alive(() => Effect.map(fs.open(path, options), (file) => watchedFile(file, path))),
        remove: (path, options) => alive(() => fs.remove(path, options)),
        link: (from, to) =>
          alive(() => {
            dead = ++links === faults.dieAtLink
            return dead ? Effect.interrupt : Effect.zipRight(fs.link(from, to), Effect.sync(() => steps.push({ op: "link", from, to })))
          })
      }
    })
  )

const storeOn = (root: string, steps: Array<Step> = [], faults: Faults = {}) =>
  FileSystemStorage.layer(root).pipe(Layer.provide(watched(steps, faults)), Layer.provide(NodeContext.layer))

const day = (d: number, name: string) => `exports/source=extended/year=2025/month=01/day=${String(d).padStart(2, "0")}/${name}.jsonl`

const batch = Array.from({ length: 9 }, (_, i) => ({ key: day(1 + (i % 4), `o${i}`), body: `${`object ${i} `.repeat(5_000)}\n` }))

const withLake = <A, E>(body: (root: string) => Effect.Effect<A, E, FileSystem.FileSystem>) =>
  Effect.gen(function*() {
    const root = join(yield* tempDir("batch-"), "lake")
    return yield* body(root)
  }).pipe(Effect.scoped, Effect.provide(NodeContext.layer))

/** Every object under its final name, with its body; the temp folder's leftovers. */
const onDisk = (root: string) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const storage = yield* Effect.provide(ObjectStorage, storeOn(root))
    const keys = yield* storage.list("")
    const objects = yield* Effect.forEach(keys, (key) => Effect.map(storage.get(key), (o) => [key, Option.getOrThrow(o).body] as const))
    const leftovers = (yield* fs.exists(join(root, ".tmp"))) ? yield* fs.readDirectory(join(root, ".tmp")) : []
    return { objects: new Map(objects), leftovers }
  })

const whole = (objects: ReadonlyMap<string, string>) =>
  [...objects].every(([key, body]) => batch.some((object) => object.key === key && object.body === body))

describe("FileSystemStorage batches (putManyIfAbsent)", () => {
  it.effect("no name appears before every body is whole and synced; each folder given a name is synced before it returns", () =>
    withLake((root) =>
      Effect.gen(function*() {
        const steps: Array<Step> = []
        yield* Effect.flatMap(ObjectStorage, (storage) => storage.putIfAbsent(batch[0]?.key ?? "", "taken")).pipe(Effect.provide(storeOn(root)))
        const outcomes = yield* Effect.flatMap(ObjectStorage, (storage) => storage.putManyIfAbsent(batch)).pipe(
          Effect.provide(storeOn(root, steps))
        )
        expect(outcomes).toEqual(batch.map((_, i) => i === 0 ? "exists" : "created"))
        const firstLink = steps.findIndex((step) => step.op === "link")
        const links = steps.flatMap((step, at) => step.op === "link" ? [{ ...step, at }] : [])
        expect(links.map((link) => link.to).sort()).toEqual(batch.slice(1).map(({ key }) => join(root, key)).sort())
        for (const link of links) {
          expect(steps.findIndex((step) => step.op === "sync" && step.path === link.from), link.to).toBeGreaterThanOrEqual(0)
          expect(steps.findIndex((step) => step.op === "sync" && step.path === link.from), link.to).toBeLessThan(firstLink)
          const folderSynced = steps.some((step, at) => at > link.at && step.op === "sync" && step.path === dirname(link.to))
          expect(folderSynced, link.to).toBe(true)
        }
        const folderSyncs = steps.flatMap((step) => step.op === "sync" && !step.path.endsWith(".tmp") ? [step.path] : [])
        expect(folderSyncs.sort()).toEqual([...new Set(links.map((link) => dirname(link.to)))].sort())
        const after = yield* onDisk(root)
        expect(after.leftovers).toEqual([])
        expect(after.objects.get(batch[0]?.key ?? "")).toBe("taken")
        expect(batch.slice(1).every(({ body, key }) => after.objects.get(key) === body)).toBe(true)
      })
    ))

  for (const dieAtLink of [1, 4, 9]) {
    it.effect(`a process that dies at link ${dieAtLink} of 9 leaves whole objects or none, and a rerun lands exactly the rest`, () =>
      withLake((root) =>
        Effect.gen(function*() {
          const exit = yield* Effect.exit(
            Effect.flatMap(ObjectStorage, (storage) => storage.putManyIfAbsent(batch)).pipe(Effect.provide(storeOn(root, [], { dieAtLink })))
          )
          expect(Exit.isInterrupted(exit)).toBe(true)
          const crashed = yield* onDisk(root)
          expect(crashed.objects.size).toBe(dieAtLink - 1)
          expect(whole(crashed.objects)).toBe(true)
          // Dead, it removed none of its temp files: they are never listed, and age out when a store opens.
          expect(crashed.leftovers.length).toBe(batch.length)
          const rerun = yield* Effect.flatMap(ObjectStorage, (storage) => storage.putManyIfAbsent(batch)).pipe(Effect.provide(storeOn(root)))
          expect(rerun).toEqual(batch.map(({ key }) => crashed.objects.has(key) ? "exists" : "created"))
          const after = yield* onDisk(root)
          expect(after.objects.size).toBe(batch.length)
          expect(whole(after.objects)).toBe(true)
          expect(after.leftovers.every((name) => name.endsWith(".tmp"))).toBe(true)
        })
      ))
  }

  it.effect("a disk that fills half way through a body fails the batch as Unavailable with no object named, and cleans up", () =>
    withLake((root) =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(
          Effect.flatMap(ObjectStorage, (storage) => storage.putManyIfAbsent(batch)).pipe(Effect.provide(storeOn(root, [], { fullAtWrite: 5 })))
        )
        expect(error.reason).toBe("Unavailable")
        expect(error.message).toContain("ENOSPC")
        const after = yield* onDisk(root)
        expect([...after.objects.keys()]).toEqual([])
        expect(after.leftovers).toEqual([])
      })
    ))
})
