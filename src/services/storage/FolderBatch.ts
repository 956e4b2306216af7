import * as Effect from "effect/Effect"
import { link, mkdir, open, unlink } from "node:fs/promises"
import { dirname } from "node:path"
import { nodeCall } from "./NodeCall.js"
import { type Body, bytesOf, type PutOutcome } from "./ObjectStorage.js"

/**
 * The file operations a folder batch is made of. Node's own, not Effect's FileSystem: a batch
 * makes several per object, thousands of objects per import, and Effect's wrapping of each cost
 * more than the call (about a tenth of the CPU time of a 15-year import). Tests watch or break them here.
 */
export interface BatchFiles {
  /** Creates `path`, refusing an existing one, with all of `bytes`, and syncs it. */
  readonly writeSynced: (path: string, bytes: Uint8Array) => Promise<void>
  /** Rejects with code `EEXIST` when `to` exists. */
  readonly link: (from: string, to: string) => Promise<void>
  /** Makes the names created in the folder durable. */
  readonly syncFolder: (path: string) => Promise<void>
  /** Creates `path` and the folders missing above it; the topmost it created, if it created any (as `mkdir -p` reports). */
  readonly makeFolder: (path: string) => Promise<string | undefined>
  readonly remove: (path: string) => Promise<void>
}

const synced = async (path: string, flag: "wx" | "r", bytes?: Uint8Array) => {
  const file = await open(path, flag, 0o644)
  try {
    if (bytes !== undefined) await file.writeFile(bytes)
    await file.sync()
  } finally {
    await file.close()
  }
}

export const nodeBatchFiles: BatchFiles = {
  writeSynced: (path, bytes) => synced(path, "wx", bytes),
  link,
  syncFolder: (path) => synced(path, "r"),
  makeFolder: (path) => mkdir(path, { recursive: true }),
  remove: unlink
}

/**
 * The folders a `mkdir -p` of `leaf` changed when `first` was the topmost it created: the parent of
 * each folder it created. Each must be synced for the new folders to survive a crash; the leaf
 * itself is synced once its files are named.
 */
export const parentsOfCreated = (first: string, leaf: string): ReadonlyArray<string> => {
  const parents: Array<string> = []
  for (let folder = leaf; dirname(folder) !== folder; folder = dirname(folder)) {
    parents.push(dirname(folder))
    if (folder === first) break
  }
  return parents
}

/** One object of a batch: its key, its body, its final file and the temp file it is written to first. */
export interface Staged {
  readonly key: string
  readonly body: Body
  readonly file: string
  readonly tmp: string
}

/** Operations in flight at once: enough to keep libuv's threads and the disk busy. */
export const batchConcurrency = 16

/**
 * putIfAbsent's protocol in phases, for objects whose folders exist: every body is written and
 * synced before the first name appears (link() refuses a taken one, so a name appears complete or
 * not at all), and each folder given a name is synced once before it returns. The temp files are
 * removed whatever happens; a process killed before that leaves them to the store's clean-up.
 */
export const landBatch = (files: BatchFiles, staged: ReadonlyArray<Staged>) => {
  const each = { concurrency: batchConcurrency, discard: true } as const
  const land = Effect.gen(function*() {
    yield* Effect.forEach(staged, ({ body, key, tmp }) => nodeCall(key, "write", () => files.writeSynced(tmp, bytesOf(body))), each)
    const outcomes = yield* Effect.forEach(staged, ({ file, key, tmp }) =>
      nodeCall(key, "write", () => files.link(tmp, file)).pipe(
        Effect.as<PutOutcome>("created"),
        Effect.catchIf((error) => error.reason === "Conflict", () => Effect.succeed<PutOutcome>("exists"))
      ), { concurrency: batchConcurrency })
    const named = new Map(staged.flatMap(({ file, key }, i) => outcomes[i] === "created" ? [[dirname(file), key] as const] : []))
    yield* Effect.forEach(named, ([dir, key]) => nodeCall(key, "sync the folder of", () => files.syncFolder(dir)).pipe(Effect.ignore), each)
    return outcomes
  })
  return Effect.ensuring(land, Effect.forEach(staged, ({ key, tmp }) => nodeCall(key, "remove the temp file of", () => files.remove(tmp)).pipe(Effect.ignore), each))
}
