import { describe, expect, it } from "@effect/vitest"
import { withThousands } from "../../src/domain/Thousands.js"

describe("withThousands", () => {
  it("writes whole numbers as toLocaleString('en-US') does", () => {
    const edges = [0, 7, 999, 1_000, 1_001, 12_345, 999_999, 1_000_000, 1_234_567_890, Number.MAX_SAFE_INTEGER, -1, -1_234, -1_000_000]
    // And a deterministic spread over every magnitude.
    let seed = 42
    const spread = Array.from({ length: 2_000 }, (_, i) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
      const value = Math.floor((seed / 2_147_483_648) * 10 ** (i % 16))
      return i % 7 === 0 && value !== 0 ? -value : value
    })
    for (const value of [...edges, ...spread]) expect(withThousands(value)).toBe(value.toLocaleString("en-US"))
  })

  it("rounds a fraction to the whole number first, never writes -0", () => {
    expect(withThousands(1_234.6)).toBe("1,235")
    expect(withThousands(-0.2)).toBe("0")
  })
})
