import type * as FileSystem from "@effect/platform/FileSystem"
import { constants, type Stats } from "node:fs"
import type * as NodeFs from "node:fs/promises"

/* Reading a file named like an export without trusting what it is: its kind, its errors, its bytes up to a cap. */

/** What a path is, in the words a refusal uses. */
export const kindText: Readonly<Record<FileSystem.File.Type, string>> = {
  File: "a file",
  Directory: "a folder",
  SymbolicLink: "a symbolic link",
  BlockDevice: "a device",
  CharacterDevice: "a device",
  FIFO: "a named pipe",
  Socket: "a socket",
  Unknown: "not a regular file"
}

export const typeOf = (stats: Stats): FileSystem.File.Type =>
  stats.isFile()
    ? "File"
    : stats.isDirectory()
    ? "Directory"
    : stats.isSymbolicLink()
    ? "SymbolicLink"
    : stats.isFIFO()
    ? "FIFO"
    : stats.isCharacterDevice()
    ? "CharacterDevice"
    : stats.isBlockDevice()
    ? "BlockDevice"
    : stats.isSocket()
    ? "Socket"
    : "Unknown"

/**
 * At most `cap` bytes of an open file: a file that holds more than its stat said (a file in /proc, one
 * that grows as it is read) cannot take more memory than the limit. `expected` (what fstat said) sizes
 * the first read, so a regular file is read in one go.
 */
export const upTo = async (handle: NodeFs.FileHandle, cap: number, expected: number): Promise<Buffer> => {
  const chunks: Array<Buffer> = []
  let total = 0
  for (;;) {
    const wanted = Math.min(Math.max(expected - total, 64 * 1024), cap - total)
    if (wanted <= 0) break
    // Not from Node's shared pool: the bytes handed on own their memory.
    const buffer = Buffer.allocUnsafeSlow(wanted)
    const { bytesRead } = await handle.read(buffer, 0, wanted, null)
    if (bytesRead === 0) break
    chunks.push(buffer.subarray(0, bytesRead))
    total += bytesRead
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total)
}

/**
 * Opens for reading without waiting on a named pipe with no writer (which would block for ever), and
 * follows a link. O_NONBLOCK changes nothing for a regular file, the only kind then read.
 */
export const openFlags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)
