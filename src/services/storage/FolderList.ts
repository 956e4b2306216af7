import * as Effect from "effect/Effect"
import type { Dirent } from "node:fs"
import { readdir, stat } from "node:fs/promises"
import { join } from "node:path"
import { StorageError } from "./ObjectStorage.js"

/*
 * The keys under a folder, read with Node's own readdir (entry types included), not Effect's
 * FileSystem: a lake's plays/ holds tens of thousands of files, and a stat of each through
 * Effect cost seconds where one readdir per folder costs milliseconds. Only links are stat'ed
 * (followed, as a key's file may be one).
 */

const codeOf = (cause: unknown) => typeof cause === "object" && cause !== null && "code" in cause ? String(cause.code) : ""

/** A folder that is missing or not a folder, or an entry gone while we read: nothing to list. */
const gone = (cause: unknown) => ["ENOENT", "ENOTDIR"].includes(codeOf(cause))

const entriesOf = (dir: string): Promise<ReadonlyArray<Dirent>> =>
  readdir(dir, { withFileTypes: true }).catch((cause: unknown) => gone(cause) ? [] : Promise.reject(cause))

const kindOf = async (dir: string, entry: Dirent): Promise<"file" | "folder" | "other"> => {
  if (entry.isFile()) return "file"
  if (entry.isDirectory()) return "folder"
  if (!entry.isSymbolicLink()) return "other"
  const info = await stat(join(dir, entry.name)).catch((cause: unknown) => gone(cause) ? undefined : Promise.reject(cause))
  return info?.isFile() ? "file" : info?.isDirectory() ? "folder" : "other"
}

/** Every file under `dir` as `keyPrefix` + its relative path, skipping names that start with "." (never keys). */
const keysUnder = async (dir: string, keyPrefix: string, startsWith: string): Promise<Array<string>> => {
  const entries = (await entriesOf(dir)).filter((entry) => !entry.name.startsWith(".") && entry.name.startsWith(startsWith))
  const nested = await Promise.all(entries.map(async (entry) => {
    const kind = await kindOf(dir, entry)
    return kind === "file"
      ? [`${keyPrefix}${entry.name}`]
      : kind === "folder"
      ? keysUnder(join(dir, entry.name), `${keyPrefix}${entry.name}/`, "")
      : []
  }))
  return nested.flat()
}

/** The keys under `dir` whose first segment starts with `startsWith`, unsorted. */
export const listFolder = (dir: string, keyPrefix: string, startsWith: string, prefix: string) =>
  Effect.tryPromise({
    try: () => keysUnder(dir, keyPrefix, startsWith),
    catch: (cause) =>
      new StorageError({
        reason: ["EACCES", "EPERM"].includes(codeOf(cause)) ? "AccessDenied" : "Unavailable",
        key: prefix,
        message: `Could not list ${prefix}: ${cause instanceof Error ? cause.message : String(cause)}`,
        cause
      })
  })
