import { describe, expect, it } from "@effect/vitest"
import { printable, printableLine } from "../../src/domain/Printable.js"

describe("printable", () => {
  const hostile = "a\u001b[2J\u0007b\u009b31m\u007fc\r\n\td é ♫"

  it("escapes every control character a terminal would act on, keeping line breaks, tabs and all other text", () => {
    expect(printable(hostile)).toBe("a\\u001b[2J\\u0007b\\u009b31m\\u007fc\\r\n\td é ♫")
  })

  it("on one line, escapes line breaks and tabs too, as JSON writes them", () => {
    expect(printableLine(hostile)).toBe("a\\u001b[2J\\u0007b\\u009b31m\\u007fc\\r\\n\\td é ♫")
    expect(printableLine("plain text, nothing to do")).toBe("plain text, nothing to do")
  })
})
