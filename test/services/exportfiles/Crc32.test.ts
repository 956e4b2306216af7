import { describe, expect, it } from "vitest"
import * as zlib from "node:zlib"
import { crc32, tableCrc32 } from "../../../src/services/exportfiles/Crc32.js"

describe("Crc32", () => {
  it("gives the zip format's check value", () => {
    expect(tableCrc32(Buffer.from("123456789"))).toBe(0xcbf43926)
    expect(crc32(Buffer.from("123456789"))).toBe(0xcbf43926)
    expect(tableCrc32(new Uint8Array())).toBe(0)
  })

  it("the table agrees with node:zlib's, whole or in chunks continued from the CRC before", () => {
    const bytes = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 7919 + (i >> 3)) & 0xff)
    const whole = zlib.crc32(bytes)
    expect(tableCrc32(bytes)).toBe(whole)
    expect(tableCrc32(bytes.subarray(4_321), tableCrc32(bytes.subarray(0, 4_321)))).toBe(whole)
    expect(crc32(bytes.subarray(17), crc32(bytes.subarray(0, 17)))).toBe(whole)
  })
})
