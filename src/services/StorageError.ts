import { Data } from "effect"

/**
 * Why a storage call failed:
 * - `Conflict`: a create-only put found the key taken, or a compare-and-swap put found another version;
 * - `Unavailable`: the store could not be reached or answered with a server error (worth retrying later);
 * - `AccessDenied`: the store refused our credentials or permissions;
 * - `Invalid`: a bad key or a stored object we cannot read.
 */
export class StorageError extends Data.TaggedError("StorageError")<{
  readonly reason: "Conflict" | "Unavailable" | "AccessDenied" | "Invalid"
  readonly key: string
  readonly message: string
  readonly cause?: unknown
}> {}
