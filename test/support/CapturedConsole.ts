import { Console, Effect, Ref } from "effect"

/** Runs `effect` with Console.log captured (and kept off the test output); returns what it printed. */
export const capturingConsole = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const printed = yield* Ref.make<ReadonlyArray<string>>([])
    const console = yield* Console.consoleWith((current) =>
      Effect.succeed<Console.Console>({
        ...current,
        log: (...args: ReadonlyArray<unknown>) => Ref.update(printed, (lines) => [...lines, args.map(String).join(" ")])
      })
    )
    const exit = yield* Effect.exit(Effect.withConsole(effect, console))
    return { exit, printed: (yield* Ref.get(printed)).join("\n") }
  })
