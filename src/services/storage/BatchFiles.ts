import { link, open, unlink } from "node:fs/promises"

/**
 * The file operations a folder batch is made of. Node's own, not Effect's FileSystem: a batch
 * makes several of them per object, and for the thousands of day objects of an import Effect's
 * per-operation cost came to a quarter of the time. Tests watch or break them here.
 */
export interface BatchFiles {
  /** Creates `path`, refusing an existing one, with all of `bytes`, and syncs it. */
  readonly writeSynced: (path: string, bytes: Uint8Array) => Promise<void>
  /** Rejects with code `EEXIST` when `to` exists. */
  readonly link: (from: string, to: string) => Promise<void>
  /** Makes the names created in the folder durable. */
  readonly syncFolder: (path: string) => Promise<void>
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
  remove: unlink
}
