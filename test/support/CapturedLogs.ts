import { Effect, Logger } from "effect"

export interface LogLine {
  readonly level: string
  readonly message: string
}

const text = (message: unknown) => Array.isArray(message) ? message.map(String).join(" ") : String(message)

/** Runs `effect` with every log line captured (and kept off the test output). */
export const capturingLogs = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.suspend(() => {
    const lines: Array<LogLine> = []
    const logger = Logger.make(({ logLevel, message }) => void lines.push({ level: logLevel.label, message: text(message) }))
    return effect.pipe(
      Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
      Effect.map((result): { readonly result: A; readonly logs: ReadonlyArray<LogLine> } => ({ result, logs: lines }))
    )
  })
