import { Context, Layer } from "effect"
import { pastedCallback, type PasteInput } from "./LoopbackCallbackPasted.js"
import { serverCallback } from "./LoopbackCallbackServer.js"
import type { LoopbackCallbackShape } from "./LoopbackCallbackShape.js"

export { LoopbackCallbackError } from "./LoopbackCallbackError.js"
export { redirectUriFor } from "./LoopbackCallbackServer.js"

export type { LoopbackCallbackShape, RedirectListener } from "./LoopbackCallbackShape.js"

/** Where Spotify's answer to the authorize request comes back. */
export class LoopbackCallback extends Context.Tag("spotify-pipeline/LoopbackCallback")<LoopbackCallback, LoopbackCallbackShape>() {
  /** An HTTP server on 127.0.0.1 that the browser is redirected to (port 0: the OS picks one). */
  static readonly layer: Layer.Layer<LoopbackCallback> = Layer.succeed(LoopbackCallback, serverCallback)

  /** For machines without a browser: the user pastes the address the browser was sent to into `input`. */
  static readonly layerPasted = (input: PasteInput, output: NodeJS.WritableStream): Layer.Layer<LoopbackCallback> =>
    Layer.succeed(LoopbackCallback, pastedCallback(input, output))
}
