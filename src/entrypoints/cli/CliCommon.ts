import * as Options from "@effect/cli/Options"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import { printable } from "../../domain/Printable.js"

export const json = Options.boolean("json").pipe(Options.withDescription("print the result as one JSON line"))

/** Lines for people: what they quote (a server's words, a file's or a track's name) printed with its control characters escaped. */
export const printLines = (lines: ReadonlyArray<string>) => Effect.forEach(lines, (line) => Console.log(printable(line)), { discard: true })

/** Lines for programs (CSV, JSON Lines), printed as they are. */
export const printData = (lines: ReadonlyArray<string>) => Effect.forEach(lines, (line) => Console.log(line), { discard: true })
