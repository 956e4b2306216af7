import type * as NodeCrypto from "node:crypto"
import { createRequire } from "node:module"
import type * as NodeZlib from "node:zlib"

/*
 * Node's crypto and zlib, loaded at their first use rather than when a module importing them is
 * loaded: together they are about a tenth of a command's start, and `status` uses neither.
 */

const load = createRequire(import.meta.url)

let crypto: typeof NodeCrypto | undefined
let zlib: typeof NodeZlib | undefined

export const nodeCrypto = (): typeof NodeCrypto => crypto ??= load("node:crypto") as typeof NodeCrypto

export const nodeZlib = (): typeof NodeZlib => zlib ??= load("node:zlib") as typeof NodeZlib
