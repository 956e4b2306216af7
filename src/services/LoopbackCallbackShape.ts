import type { Effect, Scope } from "effect"
import type { AuthorizationResponse } from "../domain/AuthorizationResponse.js"
import type { LoopbackCallbackError } from "./LoopbackCallbackError.js"

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
