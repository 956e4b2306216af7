import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Readline from "node:readline"
import { type AuthorizationResponse, authorizationResponseFromText } from "../../domain/AuthorizationResponse.js"
import { LoopbackCallback, LoopbackCallbackError, type RedirectListener, redirectUriFor } from "./LoopbackCallback.js"

/** Standard input as a socket: once it has been read it keeps the process alive until it is unref'd. */
export type PasteInput = NodeJS.ReadableStream & { readonly unref?: () => unknown }

// node:readline rather than @effect/platform's Terminal: NodeTerminal's readLine never ends when
// the input closes (a pipe that ran dry), and it puts a terminal into raw mode, which breaks pasting.
const readPasted = (input: PasteInput, output: NodeJS.WritableStream, redirectUri: string, state: string) =>
  Effect.async<AuthorizationResponse, LoopbackCallbackError>((resume) => {
    let settled = false
    const lines = Readline.createInterface({ input, terminal: false })
    const done = () => {
      lines.close()
      input.unref?.()
    }
    const settle = (effect: Effect.Effect<AuthorizationResponse, LoopbackCallbackError>) => {
      if (settled) return
      settled = true
      done()
      resume(effect)
    }
    output.write(
      `After approving, your browser is sent to ${redirectUri}?code=... (that page will not load, which is fine).\n` +
        "Paste that whole address here and press Enter:\n"
    )
    lines.on("line", (line) => {
      if (line.trim() === "") return
      const answer = authorizationResponseFromText(line)
      if (Option.isNone(answer)) {
        output.write(`That holds neither a code nor an error. Paste the address that starts with ${redirectUri}:\n`)
        return
      }
      if (answer.value.state !== state) {
        output.write("That address belongs to another login (its state differs). Paste the one this login's address led to:\n")
        return
      }
      settle(Effect.succeed(answer.value))
    })
    lines.on("close", () =>
      settle(Effect.fail(
        new LoopbackCallbackError({ reason: "Closed", message: "The input ended before the redirect address was pasted." })
      )))
    return Effect.sync(done)
  })

/**
 * For machines without a browser, no server: the redirect URI names the port only, and the user
 * pastes into `input` the address the browser was sent to.
 */
export const layer = (input: PasteInput, output: NodeJS.WritableStream): Layer.Layer<LoopbackCallback> =>
  Layer.succeed(LoopbackCallback, {
    listen: (port) =>
      Effect.succeed<RedirectListener>({
        redirectUri: redirectUriFor(port),
        redirect: (state) => readPasted(input, output, redirectUriFor(port), state)
      }).pipe(Effect.withSpan("LoopbackCallback.listen"))
  })
