import { FileSystem, type Path } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Fiber, Option } from "effect"
import { dirname, join } from "node:path"
import { type BatchFiles, nodeBatchFiles } from "../../../src/services/storage/FolderBatch.js"
import { ObjectStorage } from "../../../src/services/storage/ObjectStorage.js"
import * as FileSystemStorage from "../../../src/services/storage/FileSystemStorage.js"
import { tempDir } from "../../support/TempDir.js"
import { waitUntil } from "../../support/Waiting.js"

/** What the batch did to the disk, in order: a folder made, a file or folder synced, a link begun, a link done. */
type Step =
  | { readonly op: "synced" | "made"; readonly path: string }
  | { readonly op: "linking" | "linked"; readonly from: string; readonly to: string }

interface Faults {
  /** The process dies as it starts the n-th link (from 1): that call and every later one never happen. */
  readonly dieAtLink?: number
  /** The n-th body (from 1) is written half way, then the disk is full. */
  readonly fullAtWrite?: number
}

/** Node's batch operations, watched, with the faults asked for. */
const watched = (faults: Faults = {}) => {
  const steps: Array<Step> = []
  const inFlight: Array<Promise<unknown>> = []
  let links = 0
  let writes = 0
  let dead = false
  const never = new Promise<never>(() => {})
  const alive = (call: () => Promise<void>) => {
    if (dead) return never
    const running = call()
    inFlight.push(running.catch(() => undefined))
    return running
  }
  const full = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" })
  const files: BatchFiles = {
    writeSynced: (path, bytes) =>
      alive(async () => {
        if (++writes === faults.fullAtWrite) {
          await nodeBatchFiles.writeSynced(path, bytes.subarray(0, bytes.length >> 1))
          throw full
        }
        await nodeBatchFiles.writeSynced(path, bytes)
        steps.push({ op: "synced", path })
      }),
    link: (from, to) => {
      dead ||= ++links === faults.dieAtLink
      return alive(async () => {
        steps.push({ op: "linking", from, to })
        await nodeBatchFiles.link(from, to)
        steps.push({ op: "linked", from, to })
      })
    },
    syncFolder: (path) =>
      alive(async () => {
        await nodeBatchFiles.syncFolder(path)
        steps.push({ op: "synced", path })
      }),
    makeFolder: async (path) => {
      const first = await nodeBatchFiles.makeFolder(path)
      steps.push({ op: "made", path })
      return first
    },
    // A dead process removes nothing.
    remove: (path) => dead ? Promise.reject(new Error("the process is dead")) : nodeBatchFiles.remove(path)
  }
  return { files, steps, isDead: () => dead, settled: () => Promise.all(inFlight) }
}

const storeOn = (root: string, batchFiles?: BatchFiles) =>
  Effect.provide(ObjectStorage, FileSystemStorage.layer(root, batchFiles === undefined ? {} : { batchFiles }))

const day = (d: number, name: string) => `exports/source=extended/year=2025/month=01/day=${String(d).padStart(2, "0")}/${name}.jsonl`

const batch = Array.from({ length: 9 }, (_, i) => ({ key: day(1 + (i % 4), `o${i}`), body: `${`object ${i} `.repeat(5_000)}\n` }))

const withLake = <A, E>(body: (root: string) => Effect.Effect<A, E, FileSystem.FileSystem | Path.Path>) =>
  Effect.gen(function*() {
    const root = join(yield* tempDir("batch-"), "lake")
    return yield* body(root)
  }).pipe(Effect.scoped, Effect.provide(NodeContext.layer))

/** Every object under its final name, with its body; what is left in the temp folder. */
const onDisk = (root: string) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const storage = yield* storeOn(root)
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
        yield* Effect.flatMap(storeOn(root), (storage) => storage.putIfAbsent(batch[0]?.key ?? "", "taken"))
        const disk = watched()
        const outcomes = yield* Effect.flatMap(storeOn(root, disk.files), (storage) => storage.putManyIfAbsent(batch))
        expect(outcomes).toEqual(batch.map((_, i) => i === 0 ? "exists" : "created"))
        const { steps } = disk
        const firstLink = steps.findIndex((step) => step.op === "linking")
        const linked = steps.flatMap((step, at) => step.op === "linked" ? [{ ...step, at }] : [])
        expect(linked.map((link) => link.to).sort()).toEqual(batch.slice(1).map(({ key }) => join(root, key)).sort())
        for (const link of linked) {
          const synced = steps.findIndex((step) => step.op === "synced" && step.path === link.from)
          expect(synced, link.to).toBeGreaterThanOrEqual(0)
          expect(synced, link.to).toBeLessThan(firstLink)
          const folderSynced = steps.some((step, at) => at > link.at && step.op === "synced" && step.path === dirname(link.to))
          expect(folderSynced, link.to).toBe(true)
        }
        const folderSyncs = steps.flatMap((step) => step.op === "synced" && !step.path.endsWith(".tmp") ? [step.path] : [])
        // The folders named into, and the month folder, which gained the new days' folders.
        const month = join(root, "exports/source=extended/year=2025/month=01")
        expect(folderSyncs.sort()).toEqual([...new Set([...linked.map((link) => dirname(link.to)), month])].sort())
        const after = yield* onDisk(root)
        expect(after.leftovers).toEqual([])
        expect(after.objects.get(batch[0]?.key ?? "")).toBe("taken")
        expect(batch.slice(1).every(({ body, key }) => after.objects.get(key) === body)).toBe(true)
      })
    ))

  it.effect("in a fresh lake, each new folder's parent is synced, once, before any object is named", () =>
    withLake((root) =>
      Effect.gen(function*() {
        const disk = watched()
        yield* Effect.flatMap(storeOn(root, disk.files), (storage) => storage.putManyIfAbsent(batch))
        const { steps } = disk
        const firstLink = steps.findIndex((step) => step.op === "linking")
        const syncedAt = (path: string) => steps.findIndex((step) => step.op === "synced" && step.path === path)
        const parents = ["", "exports", "exports/source=extended", "exports/source=extended/year=2025", "exports/source=extended/year=2025/month=01"]
          .map((folder) => join(root, folder))
        for (const parent of parents) {
          expect(syncedAt(parent), parent).toBeGreaterThanOrEqual(0)
          expect(syncedAt(parent), parent).toBeLessThan(firstLink)
          expect(steps.filter((step) => step.op === "synced" && step.path === parent), parent).toHaveLength(1)
        }
      })
    ))

  it.effect("a single put syncs its object's folder, and the folders it created into; only its folder when they exist", () =>
    withLake((root) =>
      Effect.gen(function*() {
        const disk = watched()
        const storage = yield* storeOn(root, disk.files)
        const day = join(root, "plays/year=2026/month=03/day=04")
        yield* storage.putIfAbsent("plays/year=2026/month=03/day=04/a.jsonl", "a\n")
        const synced = () => disk.steps.flatMap((step) => step.op === "synced" ? [step.path] : [])
        // The lake's own folder is new too: its parent is synced with the rest.
        const parents = [dirname(root), ...["", "plays", "plays/year=2026", "plays/year=2026/month=03"].map((folder) => join(root, folder))]
        expect(new Set(synced())).toEqual(new Set([...parents, day]))
        const before = synced().length
        yield* storage.putIfAbsent("plays/year=2026/month=03/day=04/b.jsonl", "b\n")
        yield* storage.put("plays/year=2026/month=03/day=04/a.jsonl", "a again\n")
        expect(synced().slice(before)).toEqual([day, day])
      })
    ))

  for (const dieAtLink of [1, 4, 9]) {
    it.effect(`a process that dies at link ${dieAtLink} of 9 leaves whole objects or none, and a rerun lands exactly the rest`, () =>
      withLake((root) =>
        Effect.gen(function*() {
          const disk = watched({ dieAtLink })
          const run = yield* Effect.fork(Effect.flatMap(storeOn(root, disk.files), (storage) => storage.putManyIfAbsent(batch)))
          yield* waitUntil(`the process to die at link ${dieAtLink}`, Effect.sync(disk.isDead))
          expect(Exit.isInterrupted(yield* Fiber.interrupt(run))).toBe(true)
          yield* Effect.promise(disk.settled)
          const crashed = yield* onDisk(root)
          expect(crashed.objects.size).toBe(dieAtLink - 1)
          expect(whole(crashed.objects)).toBe(true)
          // Dead, it removed none of its temp files: they are never listed, and age out when a store opens.
          expect(crashed.leftovers.length).toBe(batch.length)
          const rerun = yield* Effect.flatMap(storeOn(root), (storage) => storage.putManyIfAbsent(batch))
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
        const disk = watched({ fullAtWrite: 5 })
        const error = yield* Effect.flip(Effect.flatMap(storeOn(root, disk.files), (storage) => storage.putManyIfAbsent(batch)))
        yield* Effect.promise(disk.settled)
        expect(error.reason).toBe("Unavailable")
        expect(error.message).toContain("ENOSPC")
        const after = yield* onDisk(root)
        expect([...after.objects.keys()]).toEqual([])
        expect(after.leftovers).toEqual([])
      })
    ))
})
