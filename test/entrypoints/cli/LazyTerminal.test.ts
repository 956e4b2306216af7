import { describe, expect, it } from "@effect/vitest"
import * as Terminal from "@effect/platform/Terminal"
import { Effect } from "effect"
import { vi } from "vitest"
import * as LazyTerminal from "../../../src/entrypoints/cli/LazyTerminal.js"

describe("the CLI's terminal", () => {
  it.scoped("gives stdout's sizes without making a terminal, and makes one to display text", () =>
    Effect.gen(function*() {
      const terminal = yield* Terminal.Terminal
      expect(yield* terminal.columns).toBe(process.stdout.columns ?? 0)
      expect(yield* terminal.rows).toBe(process.stdout.rows ?? 0)
      expect(yield* terminal.isTTY).toBe(Boolean(process.stdout.isTTY))
      const written = vi.spyOn(process.stdout, "write").mockImplementation((_chunk, ...rest) => {
        const done = rest.find((arg) => typeof arg === "function")
        if (typeof done === "function") done()
        return true
      })
      yield* Effect.addFinalizer(() => Effect.sync(() => written.mockRestore()))
      yield* terminal.display("hello from the terminal\n")
      expect(written).toHaveBeenCalledWith("hello from the terminal\n", expect.any(Function))
    }).pipe(Effect.provide(LazyTerminal.layer)))
})
