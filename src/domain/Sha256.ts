import { nodeCrypto } from "./LazyBuiltins.js"

/**
 * The sha256 of `data`, in hex, with node:crypto loaded at its first use. One-shot hashing
 * (Node 20.12+) is about twice as fast per call as a Hash object, which older Nodes fall back to.
 */
export const sha256Hex = (data: string | Uint8Array): string => {
  const crypto = nodeCrypto()
  return typeof crypto.hash === "function" ? crypto.hash("sha256", data) : crypto.createHash("sha256").update(data).digest("hex")
}
