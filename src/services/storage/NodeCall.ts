import * as Effect from "effect/Effect"
import { StorageError } from "./ObjectStorage.js"

/** The `code` of a Node.js system error (`ENOENT`, `EEXIST`, ...), or "" for anything else. */
export const codeOf = (cause: unknown) => typeof cause === "object" && cause !== null && "code" in cause ? String(cause.code) : ""

/**
 * A failed call to Node's file functions as a StorageError: `EEXIST` is a Conflict (as a taken
 * name is for putIfAbsent), `EACCES` and `EPERM` are AccessDenied, the rest Unavailable.
 */
export const nodeFailure = (key: string, action: string) => (cause: unknown) => {
  const code = codeOf(cause)
  const reason = code === "EEXIST" ? "Conflict" : code === "EACCES" || code === "EPERM" ? "AccessDenied" : "Unavailable"
  const message = `Could not ${action} ${key}: ${cause instanceof Error ? cause.message : String(cause)}`
  return new StorageError({ reason, key, message, cause })
}

/** An asynchronous call to Node's file functions, its failure as `nodeFailure` says. */
export const nodeCall = <A>(key: string, action: string, run: () => Promise<A>) =>
  Effect.tryPromise({ try: run, catch: nodeFailure(key, action) })
