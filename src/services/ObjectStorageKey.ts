import { StorageError } from "./StorageError.js"

// Segments starting with "." are refused so a store can keep its temp and lock files beside the data.
const validSegment = (segment: string) => segment.length > 0 && !segment.startsWith(".") && !segment.includes("\0")

/** Relative, "/"-separated, no empty, "." or ".." segments: the same keys on every store. */
export const isValidKey = (key: string) => key.split("/").every(validSegment)

/** A key prefix: "" or whole segments, the last one possibly partial or empty (`plays/`). */
export const isValidPrefix = (prefix: string) => {
  if (prefix.length === 0) return true
  const segments = prefix.split("/")
  const last = segments.pop() ?? ""
  return segments.every(validSegment) && (last.length === 0 || validSegment(last))
}

export const invalidKey = (key: string) =>
  new StorageError({
    reason: "Invalid",
    key,
    message: `Invalid key ${JSON.stringify(key)}: use relative "/"-separated segments, none empty or starting with "."`
  })
