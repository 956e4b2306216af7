import { Context, type Effect, Layer, type Scope } from "effect"
import type { AuthorizationResponse } from "../domain/AuthorizationResponse.js"
import type { LoopbackCallbackError } from "./LoopbackCallbackError.js"
import { pastedCallback, type PasteInput } from "./LoopbackCallbackPasted.js"
import { serverCallback } from "./LoopbackCallbackServer.js"

export { LoopbackCallbackError } from "./LoopbackCallbackError.js"
export { redirectUriFor } from "./LoopbackCallbackServer.js"

export interface RedirectListener {
  /** `http://127.0.0.1:<port>/callback`: what the app in Spotify's dashboard must list, exactly. */
  readonly redirectUri: string
  /** The first answer Spotify sends the browser back with (a code or an error). */
  readonly redirect: Effect.Effect<AuthorizationResponse, LoopbackCallbackError>
}

export interface LoopbackCallbackShape {
  /** Ready to receive the answer at the loopback redirect URI on `port`, until the scope closes. */
  readonly listen: (port: number) => Effect.Effect<RedirectListener, LoopbackCallbackError, Scope.Scope>
}

/** Where Spotify's answer to the authorize request comes back. */
export class LoopbackCallback extends Context.Tag("spotify-pipeline/LoopbackCallback")<LoopbackCallback, LoopbackCallbackShape>() {
  /** An HTTP server on 127.0.0.1 that the browser is redirected to (port 0: the OS picks one). */
  static readonly layer: Layer.Layer<LoopbackCallback> = Layer.succeed(LoopbackCallback, serverCallback)

  /** For machines without a browser: the user pastes the address the browser was sent to into `input`. */
  static readonly layerPasted = (input: PasteInput, output: NodeJS.WritableStream): Layer.Layer<LoopbackCallback> =>
    Layer.succeed(LoopbackCallback, pastedCallback(input, output))
}
