import * as zlib from "node:zlib"

const table = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

/** The zip format's CRC-32 (ISO-HDLC), table-driven: for the Node versions (22.0, 22.1) whose zlib has none. */
export const tableCrc32 = (data: Uint8Array, value = 0): number => {
  let crc = ~value >>> 0
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8)
  return ~crc >>> 0
}

/**
 * The CRC-32 of `data`, continuing from `value` (the CRC of the bytes before it), as a zip entry
 * declares it: node:zlib's (native, Node 20.15 and 22.2 on) where there is one.
 */
export const crc32: (data: Uint8Array, value?: number) => number =
  // Read off the namespace: a named import of a missing export would not even load.
  typeof (zlib as { readonly crc32?: unknown }).crc32 === "function" ? zlib.crc32 : tableCrc32
