import * as Console from "effect/Console"
import type * as Effect from "effect/Effect"

const ansi = /\u001b\[[0-9;]*m/g

/**
 * @effect/cli (0.77) writes its help in colour whatever the output is, prints the root's usage
 * without its commands and a command's usage without the program's name: this mends the text on
 * its way out. Colour stays only on a terminal, and never with `NO_COLOR` set.
 */
const mended = (program: string, coloured: boolean) => (text: unknown) => {
  if (typeof text !== "string") return text
  const plain = coloured ? text : text.replace(ansi, "")
  return plain
    .replace(new RegExp(`^\\$ ${program}$`, "m"), `$ ${program} <command> [options]   (${program} <command> --help for one command)`)
    .replace(/^\$ (?!spotify-pipeline)(\S)/m, `$ ${program} $1`)
}

export const withHelpConsole = <A, E, R>(program: string, coloured: boolean, self: Effect.Effect<A, E, R>) =>
  Console.consoleWith((console) => {
    const mend = mended(program, coloured)
    const helpful: Console.Console = {
      ...console,
      log: (...args) => console.log(...args.map(mend)),
      unsafe: { ...console.unsafe, log: (...args) => console.unsafe.log(...args.map(mend)) }
    }
    return Console.withConsole(self, helpful)
  })
