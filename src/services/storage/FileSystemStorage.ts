import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import { isPlatformError, type PlatformError } from "@effect/platform/Error"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { nodeCrypto } from "../../domain/LazyBuiltins.js"
import { sha256Hex } from "../../domain/Sha256.js"
import { makeFileLock } from "./FileLock.js"
import { batchConcurrency, type BatchFiles, landBatch, nodeBatchFiles, parentsOfCreated } from "./FolderBatch.js"
import { listFolder } from "./FolderList.js"
import { removeLeftovers } from "./Leftovers.js"
import { codeOf, nodeCall } from "./NodeCall.js"
import {
  batchProblem,
  type Body,
  bytesOf,
  invalidKey,
  isValidKey,
  isValidPrefix,
  type NewObject,
  ObjectStorage,
  StorageError,
  textOf
} from "./ObjectStorage.js"

export interface FileSystemStorageOptions {
  readonly staleLockAfter?: Duration.DurationInput
  readonly lockBusyFor?: Duration.DurationInput
  /** The file operations of putManyIfAbsent: node's, unless a test watches or breaks them. */
  readonly batchFiles?: BatchFiles
}

// Keys never have a segment starting with "." (see isValidKey), so this folder is never a key.
const internalDir = ".tmp"


/** `fields` with the etag of `bytes`, hashed when first read: most reads never compare versions. */
const withEtag = <A extends object>(fields: A, bytes: Uint8Array): A & { readonly etag: string } => {
  let etag: string | undefined
  return Object.defineProperty({ ...fields }, "etag", { enumerable: true, get: () => etag ??= sha256Hex(bytes) }) as
    & A
    & { readonly etag: string }
}

const isReason = (error: PlatformError, ...reasons: ReadonlyArray<string>) =>
  error._tag === "SystemError" && reasons.includes(error.reason)

const invalid = (key: string, message: string) => new StorageError({ reason: "Invalid", key, message })

const failed = (key: string, action: string) => (error: PlatformError) =>
  new StorageError({
    reason: isReason(error, "PermissionDenied") ? "AccessDenied" : "Unavailable",
    key,
    message: `Could not ${action} ${key}: ${error.message}`,
    cause: error
  })

/** Maps platform errors and lets StorageErrors raised earlier in the pipe through. */
const platformFailed = (key: string, action: string) => <A, E, R>(self: Effect.Effect<A, E | PlatformError, R>) =>
  Effect.catchIf(self, isPlatformError, (error) => Effect.fail(failed(key, action)(error)))

/** A temp or set-aside lock file this old belongs to a writer that died: no write takes an hour. */
const leftoverAfterMs = 60 * 60 * 1000

const make = (root: string, options: FileSystemStorageOptions = {}) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const tmpDir = path.join(root, internalDir)
    const batchFiles = options.batchFiles ?? nodeBatchFiles
    const withLock = makeFileLock(fs, {
      staleAfter: options.staleLockAfter ?? Duration.seconds(30),
      busyFor: options.lockBusyFor ?? Duration.seconds(5)
    })
    // Fibers of this process queue here instead of polling each other's lock file.
    const casLock = yield* Effect.makeSemaphore(1)
    yield* removeLeftovers(fs, path, tmpDir, (name) => name.endsWith(".tmp") || name.endsWith(".stale"), leftoverAfterMs)

    const fileOf = (key: string) => path.join(root, ...key.split("/"))

    const resolve = (key: string) => isValidKey(key) ? Effect.succeed(fileOf(key)) : Effect.fail(invalidKey(key))

    const read = (key: string, file: string) =>
      fs.readFile(file).pipe(
        Effect.map(Option.some),
        Effect.catchIf((error) => isReason(error, "NotFound", "BadResource"), () => Effect.succeed(Option.none<Uint8Array>())),
        Effect.mapError(failed(key, "read")),
        Effect.map(Option.map((bytes) => withEtag({ bytes }, bytes)))
      )

    /** Creates `dir` (and what is missing above it); the folders whose new entries must then be synced. */
    const makeFolder = (key: string, dir: string) =>
      nodeCall(key, "create the folder of", () => batchFiles.makeFolder(dir)).pipe(
        Effect.catchIf(
          (error) => error.reason === "Conflict" || codeOf(error.cause) === "ENOTDIR",
          () => Effect.fail(invalid(key, `Cannot store ${key}: a parent of it is a file`))
        ),
        Effect.map((first) => first === undefined ? [] : parentsOfCreated(first, dir))
      )

    // A new folder's name is an entry of its parent: synced, or a crash may lose the folder and what it holds.
    const syncFolders = (folders: Iterable<string>) =>
      Effect.forEach(folders, (folder) => Effect.promise(() => batchFiles.syncFolder(folder).catch(() => undefined)), {
        concurrency: batchConcurrency,
        discard: true
      })

    const makeParent = (key: string, file: string) => Effect.flatMap(makeFolder(key, path.dirname(file)), syncFolders)

    const tempName = () => path.join(tmpDir, `${nodeCrypto().randomUUID()}.tmp`)

    const writeTemp = (bytes: Uint8Array) =>
      Effect.gen(function*() {
        yield* fs.makeDirectory(tmpDir, { recursive: true })
        const tmp = tempName()
        yield* Effect.scoped(
          fs.open(tmp, { flag: "wx", mode: 0o644 }).pipe(Effect.tap((file) => file.writeAll(bytes)), Effect.flatMap((file) => file.sync))
        ).pipe(Effect.onError(() => fs.remove(tmp).pipe(Effect.ignore)))
        return tmp
      })

    const withTemp = <A>(key: string, bytes: Uint8Array, use: (tmp: string) => Effect.Effect<A, StorageError>) =>
      Effect.acquireUseRelease(
        writeTemp(bytes).pipe(Effect.mapError(failed(key, "write"))),
        use,
        (tmp) => fs.remove(tmp).pipe(Effect.ignore)
      )

    // Atomic: the temp file is renamed over the old one, so a reader sees one or the other, whole;
    // durable once it returns, the file's data and its folder's entry both synced.
    const replace = (key: string, file: string, bytes: Uint8Array) =>
      Effect.gen(function*() {
        yield* withTemp(key, bytes, (tmp) => fs.rename(tmp, file).pipe(Effect.mapError(failed(key, "write"))))
        yield* syncFolders([path.dirname(file)])
        return withEtag({}, bytes)
      })

    const getBytes = Effect.fn("ObjectStorage.getBytes")(function*(key: string) {
      return yield* read(key, yield* resolve(key))
    })

    return {
      get: Effect.fn("ObjectStorage.get")(function*(key: string) {
        const found = yield* getBytes(key)
        if (Option.isNone(found)) return Option.none()
        return Option.some(withEtag({ body: yield* textOf(key, found.value.bytes) }, found.value.bytes))
      }),
      getBytes,
      list: Effect.fn("ObjectStorage.list")(function*(prefix: string) {
        if (!isValidPrefix(prefix)) return yield* Effect.fail(invalidKey(prefix))
        const segments = prefix.split("/")
        const partial = segments.pop() ?? ""
        const dir = path.join(root, ...segments)
        const keyPrefix = segments.map((segment) => `${segment}/`).join("")
        const keys = yield* listFolder(dir, keyPrefix, partial, prefix)
        return keys.filter((key) => key.startsWith(prefix)).sort()
      }),
      putIfAbsent: Effect.fn("ObjectStorage.putIfAbsent")(function*(key: string, body: Body) {
        const file = yield* resolve(key)
        yield* makeParent(key, file)
        const bytes = bytesOf(body)
        // link() refuses an existing name, so the final file appears at once, complete, or not at all.
        yield* withTemp(key, bytes, (tmp) =>
          fs.link(tmp, file).pipe(
            Effect.catchIf(
              (error) => isReason(error, "AlreadyExists"),
              () => Effect.fail(new StorageError({ reason: "Conflict", key, message: `Object ${key} already exists` }))
            ),
            platformFailed(key, "write")
          ))
        yield* syncFolders([path.dirname(file)])
        return withEtag({}, bytes)
      }),
      putManyIfAbsent: Effect.fn("ObjectStorage.putManyIfAbsent")(function*(objects: ReadonlyArray<NewObject>) {
        const problem = batchProblem(objects)
        if (problem !== undefined) return yield* Effect.fail(problem)
        const [first] = objects
        if (first === undefined) return []
        const staged = objects.map(({ body, key }) => ({ body, key, file: fileOf(key), tmp: tempName() }))
        const folders = new Map(staged.map(({ file, key }) => [path.dirname(file), key]))
        const created = yield* Effect.forEach(folders, ([dir, key]) => makeFolder(key, dir), { concurrency: batchConcurrency })
        yield* syncFolders(new Set(created.flat()))
        yield* fs.makeDirectory(tmpDir, { recursive: true }).pipe(Effect.mapError(failed(first.key, "write")))
        return yield* landBatch(batchFiles, staged)
      }),
      putIfMatch: Effect.fn("ObjectStorage.putIfMatch")(function*(key: string, body: Body, etag: string) {
        const file = yield* resolve(key)
        const bytes = bytesOf(body)
        const swap = Effect.gen(function*() {
          const current = yield* read(key, file)
          if (Option.isNone(current)) {
            return yield* Effect.fail(new StorageError({ reason: "Conflict", key, message: `Object ${key} does not exist` }))
          }
          if (current.value.etag !== etag) {
            return yield* Effect.fail(
              new StorageError({ reason: "Conflict", key, message: `Object ${key} changed (expected version ${etag})` })
            )
          }
          return yield* replace(key, file, bytes)
        })
        yield* fs.makeDirectory(tmpDir, { recursive: true }).pipe(Effect.mapError(failed(key, "lock")))
        return yield* casLock.withPermits(1)(
          withLock(path.join(tmpDir, `${sha256Hex(bytesOf(key))}.lock`), swap).pipe(
            Effect.catchTag("LockBusy", (busy) =>
              Effect.fail(
                new StorageError({
                  reason: "Conflict",
                  key,
                  message: `Object ${key} is being changed by another writer (its lock ${busy.lockPath} is held)`,
                  cause: busy
                })
              )),
            platformFailed(key, "lock")
          )
        )
      }),
      put: Effect.fn("ObjectStorage.put")(function*(key: string, body: Body) {
        const file = yield* resolve(key)
        yield* makeParent(key, file)
        return yield* replace(key, file, bytesOf(body))
      }),
      remove: Effect.fn("ObjectStorage.remove")(function*(key: string) {
        const file = yield* resolve(key)
        yield* fs.remove(file).pipe(
          Effect.catchIf((error) => isReason(error, "NotFound"), () => Effect.void),
          Effect.mapError(failed(key, "remove"))
        )
      })
    } satisfies typeof ObjectStorage.Service
  })

/** Files under `root` (created on first write); conditional puts are atomic against other processes too. */
export const layer = (
  root: string,
  options?: FileSystemStorageOptions
): Layer.Layer<ObjectStorage, never, FileSystem.FileSystem | Path.Path> => Layer.effect(ObjectStorage, make(root, options))
