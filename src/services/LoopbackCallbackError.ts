import { Data } from "effect"

/** `PortInUse`: another program holds the port; `Closed`: input ended before an address was pasted. */
export class LoopbackCallbackError extends Data.TaggedError("LoopbackCallbackError")<{
  readonly reason: "PortInUse" | "Unavailable" | "Closed"
  readonly message: string
  readonly cause?: unknown
}> {}
