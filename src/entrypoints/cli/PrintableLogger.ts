import * as Logger from "effect/Logger"
import { printable } from "../../domain/Printable.js"

const printableMessage = (message: unknown): unknown =>
  typeof message === "string" ? printable(message) : Array.isArray(message) ? message.map(printableMessage) : message

/** `logger` for a terminal: a line's words, which may quote a server or a file, with their control characters escaped. */
export const printableLogger = <Output>(logger: Logger.Logger<unknown, Output>): Logger.Logger<unknown, Output> =>
  Logger.mapInput(logger, printableMessage)
