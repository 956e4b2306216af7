import { Command, FileSystem } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, TestClock } from "effect"
import { createHash } from "node:crypto"
import { hostname } from "node:os"
import { join } from "node:path"
import { ObjectStorage } from "../../../src/services/storage/ObjectStorage.js"
import { tempDir } from "../../support/TempDir.js"
import { driveUntilDone, untilSleeping } from "../../support/TestClockDriver.js"
import { objectStorageContract } from "./ObjectStorage.contract.js"
import * as FileSystemStorage from "../../../src/services/storage/FileSystemStorage.js"

// The root does not exist yet: a missing root must list as empty and be created on first write.
const freshRoot = Effect.map(tempDir("lake-"), (dir) => join(dir, "lake"))

const layerInTempDir = Layer.unwrapScoped(Effect.map(freshRoot, (root) => FileSystemStorage.layer(root))).pipe(
  Layer.provide(NodeContext.layer)
)

objectStorageContract(it, "filesystem", layerInTempDir, { conditional: true })

const lockPathOf = (root: string, key: string) => `${root}/.tmp/${createHash("sha256").update(key).digest("hex")}.lock`

/** The pid of a process that has just ended: nothing runs under it. */
const deadPid = Effect.gen(function*() {
  const child = yield* Command.start(Command.make(process.execPath, "-e", ""))
  yield* child.exitCode
  return child.pid
}).pipe(Effect.scoped, Effect.orDie, Effect.provide(NodeContext.layer))

const withRoot = <A, E>(
  body: (root: string) => Effect.Effect<A, E, ObjectStorage | FileSystem.FileSystem>
) =>
  Effect.gen(function*() {
    const root = yield* freshRoot
    return yield* body(root).pipe(Effect.provide(FileSystemStorage.layer(root)))
  }).pipe(Effect.scoped, Effect.provide(NodeContext.layer))

describe("FileSystemStorage", () => {
  it.effect("stores each key as a file under the root", () =>
    withRoot((root) =>
      Effect.gen(function*() {
        const storage = yield* ObjectStorage
        const fs = yield* FileSystem.FileSystem
        yield* storage.putIfAbsent("plays/year=2025/a.jsonl", "line\n")
        expect(yield* fs.readFileString(`${root}/plays/year=2025/a.jsonl`)).toBe("line\n")
      })
    ))

  it.effect("never lists temp, lock or leftover files, and cleans up its temp files", () =>
    withRoot((root) =>
      Effect.gen(function*() {
        const storage = yield* ObjectStorage
        const fs = yield* FileSystem.FileSystem
        const { etag } = yield* storage.putIfAbsent("state/sync.json", "v1")
        yield* storage.putIfMatch("state/sync.json", "v2", etag)
        yield* Effect.flip(storage.putIfAbsent("state/sync.json", "v3"))
        expect(yield* fs.readDirectory(`${root}/.tmp`)).toEqual([])
        yield* fs.writeFileString(`${root}/.tmp/crashed.tmp`, "half")
        yield* fs.writeFileString(`${root}/state/.sync.json.swp`, "editor")
        expect(yield* storage.list("")).toEqual(["state/sync.json"])
      })
    ))

  // A folder's entries are read with their types; links are followed, as a stat of each used to.
  it.effect("lists files reached through links, skips dangling links and other entries, and a prefix that is a file's", () =>
    withRoot((root) =>
      Effect.gen(function*() {
        const storage = yield* ObjectStorage
        const fs = yield* FileSystem.FileSystem
        yield* storage.putIfAbsent("plays/year=2025/a.jsonl", "a\n")
        // Beside the lake's root, in the temp folder removed with the test.
        const elsewhere = join(root, "..", "elsewhere")
        yield* fs.makeDirectory(elsewhere)
        yield* fs.writeFileString(join(elsewhere, "b.jsonl"), "b\n")
        yield* fs.makeDirectory(join(elsewhere, "month=02"))
        yield* fs.writeFileString(join(elsewhere, "month=02", "c.jsonl"), "c\n")
        yield* fs.symlink(join(elsewhere, "b.jsonl"), `${root}/plays/year=2025/b.jsonl`)
        yield* fs.symlink(join(elsewhere, "month=02"), `${root}/plays/year=2025/month=02`)
        yield* fs.symlink(join(elsewhere, "gone.jsonl"), `${root}/plays/year=2025/dangling.jsonl`)
        expect(yield* storage.list("plays/")).toEqual(["plays/year=2025/a.jsonl", "plays/year=2025/b.jsonl", "plays/year=2025/month=02/c.jsonl"])
        expect(yield* storage.list("plays/year=2025/a.jsonl/")).toEqual([])
        expect(yield* storage.list("plays/year=20")).toEqual(["plays/year=2025/a.jsonl", "plays/year=2025/b.jsonl", "plays/year=2025/month=02/c.jsonl"])
      })
    ))

  it.effect("refuses a key below an existing object", () =>
    withRoot(() =>
      Effect.gen(function*() {
        const storage = yield* ObjectStorage
        yield* storage.putIfAbsent("state", "file")
        const error = yield* Effect.flip(storage.putIfAbsent("state/sync.json", "v1"))
        expect(error.reason).toBe("Invalid")
      })
    ))

  it.effect("breaks a lock left by a crashed writer once it is older than the stale age", () =>
    withRoot((root) =>
      Effect.gen(function*() {
        const storage = yield* ObjectStorage
        const fs = yield* FileSystem.FileSystem
        const { etag } = yield* storage.putIfAbsent("state/sync.json", "v1")
        yield* fs.writeFileString(lockPathOf(root, "state/sync.json"), JSON.stringify({ token: "crashed", created_ms: 0 }))
        yield* TestClock.adjust("31 seconds")
        const next = yield* storage.putIfMatch("state/sync.json", "v2", etag)
        expect(yield* storage.get("state/sync.json")).toEqual(Option.some({ body: "v2", etag: next.etag }))
        expect(yield* fs.exists(lockPathOf(root, "state/sync.json"))).toBe(false)
      })
    ))

  it.effect("waits for a live writer's lock, then reports a Conflict (another writer is changing it) and leaves the object alone", () =>
    withRoot((root) =>
      Effect.gen(function*() {
        const storage = yield* ObjectStorage
        const fs = yield* FileSystem.FileSystem
        const { etag } = yield* storage.putIfAbsent("state/sync.json", "v1")
        const lock = JSON.stringify({ token: "other-process", created_ms: 0 })
        yield* fs.writeFileString(lockPathOf(root, "state/sync.json"), lock)
        const attempt = yield* Effect.fork(Effect.flip(storage.putIfMatch("state/sync.json", "v2", etag)))
        const error = yield* driveUntilDone(attempt)
        expect(yield* TestClock.currentTimeMillis).toBeGreaterThanOrEqual(5_000)
        expect(error.reason).toBe("Conflict")
        expect(error.message).toContain("is being changed by another writer")
        expect(yield* storage.get("state/sync.json")).toEqual(Option.some({ body: "v1", etag }))
        expect(yield* fs.readFileString(lockPathOf(root, "state/sync.json"))).toBe(lock)
      })
    ))

  it.effect("breaks at once a lock whose process no longer runs on this machine (a writer killed with -9)", () =>
    withRoot((root) =>
      Effect.gen(function*() {
        const storage = yield* ObjectStorage
        const fs = yield* FileSystem.FileSystem
        const { etag } = yield* storage.putIfAbsent("state/sync.json", "v1")
        const dead = yield* deadPid
        yield* fs.writeFileString(
          lockPathOf(root, "state/sync.json"),
          JSON.stringify({ token: "killed", created_ms: 0, pid: dead, host: hostname() })
        )
        const next = yield* storage.putIfMatch("state/sync.json", "v2", etag)
        expect(yield* TestClock.currentTimeMillis).toBe(0)
        expect(yield* storage.get("state/sync.json")).toEqual(Option.some({ body: "v2", etag: next.etag }))
      })
    ))

  it.effect("a lock naming a process on another machine is judged by its age alone", () =>
    withRoot((root) =>
      Effect.gen(function*() {
        const storage = yield* ObjectStorage
        const fs = yield* FileSystem.FileSystem
        const { etag } = yield* storage.putIfAbsent("state/sync.json", "v1")
        const lock = JSON.stringify({ token: "elsewhere", created_ms: 0, pid: yield* deadPid, host: "another-machine" })
        yield* fs.writeFileString(lockPathOf(root, "state/sync.json"), lock)
        const error = yield* driveUntilDone(yield* Effect.fork(Effect.flip(storage.putIfMatch("state/sync.json", "v2", etag))))
        expect(error.reason).toBe("Conflict")
        expect(yield* fs.readFileString(lockPathOf(root, "state/sync.json"))).toBe(lock)
      })
    ))

  it.effect("removes what killed writers left in its internal folder (over an hour old) when it opens the lake", () =>
    Effect.gen(function*() {
      const root = yield* freshRoot
      const fs = yield* FileSystem.FileSystem
      yield* fs.makeDirectory(`${root}/.tmp`, { recursive: true })
      for (const name of ["old.tmp", "old.lock.1.stale", "young.tmp"]) yield* fs.writeFileString(`${root}/.tmp/${name}`, "x")
      const hourAndMinute = new Date(Date.now() - 61 * 60 * 1000)
      yield* fs.utimes(`${root}/.tmp/old.tmp`, hourAndMinute, hourAndMinute)
      yield* fs.utimes(`${root}/.tmp/old.lock.1.stale`, hourAndMinute, hourAndMinute)
      yield* TestClock.setTime(Date.now())
      yield* Effect.provide(ObjectStorage, FileSystemStorage.layer(root))
      expect([...(yield* fs.readDirectory(`${root}/.tmp`))].sort()).toEqual(["young.tmp"])
    }).pipe(Effect.scoped, Effect.provide(NodeContext.layer)))

  it.effect("waits while a live writer holds the lock and proceeds once it is released", () =>
    withRoot((root) =>
      Effect.gen(function*() {
        const storage = yield* ObjectStorage
        const fs = yield* FileSystem.FileSystem
        const { etag } = yield* storage.putIfAbsent("state/sync.json", "v1")
        yield* fs.writeFileString(lockPathOf(root, "state/sync.json"), JSON.stringify({ token: "other", created_ms: 0 }))
        const attempt = yield* Effect.fork(storage.putIfMatch("state/sync.json", "v2", etag))
        yield* untilSleeping(attempt)
        yield* fs.remove(lockPathOf(root, "state/sync.json"))
        const next = yield* driveUntilDone(attempt)
        expect(yield* storage.get("state/sync.json")).toEqual(Option.some({ body: "v2", etag: next.etag }))
      })
    ))

  // Two layers on one root share no in-process state, as two processes would not: only the lock
  // file and link() keep them apart. Live clock: a loser waits for the lock with real backoff.
  it.live("two stores on one root: exactly one compare-and-swap and one create-only put win", () =>
    Effect.gen(function*() {
      const root = yield* freshRoot
      const [a, b] = yield* Effect.all([
        Effect.provide(ObjectStorage, FileSystemStorage.layer(root)),
        Effect.provide(ObjectStorage, FileSystemStorage.layer(root))
      ])
      const { etag } = yield* a.putIfAbsent("state/sync.json", "v0")
      const writers = Array.from({ length: 8 }, (_, i) => i % 2 === 0 ? a : b)
      const cas = yield* Effect.all(
        writers.map((store, i) => Effect.either(store.putIfMatch("state/sync.json", `writer ${i}`, etag))),
        { concurrency: "unbounded" }
      )
      expect(cas.filter((result) => result._tag === "Right")).toHaveLength(1)
      expect(cas.flatMap((result) => result._tag === "Left" ? [result.left.reason] : [])).toEqual(Array(7).fill("Conflict"))
      const creates = yield* Effect.all(
        writers.map((store, i) => Effect.either(store.putIfAbsent("plays/race.jsonl", `writer ${i}`))),
        { concurrency: "unbounded" }
      )
      expect(creates.filter((result) => result._tag === "Right")).toHaveLength(1)
    }).pipe(Effect.scoped, Effect.provide(NodeContext.layer)))
})
