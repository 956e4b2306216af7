import * as Context from "effect/Context"
import * as Data from "effect/Data"
import type * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import type { AuthorizationResponse } from "../../domain/AuthorizationResponse.js"

/** `PortInUse`: another program holds the port; `Closed`: input ended before an address was pasted. */
export class LoopbackCallbackError extends Data.TaggedError("LoopbackCallbackError")<{
  readonly reason: "PortInUse" | "Unavailable" | "Closed"
  readonly message: string
  readonly cause?: unknown
}> {}

export interface RedirectListener {
  /** `http://127.0.0.1:<port>/callback`: what the app in Spotify's dashboard must list, exactly. */
  readonly redirectUri: string
  /**
   * The answer Spotify sends the browser back with (a code or an error) for the authorize request
   * that carried `state`; answers with another state (forged, or from an older login) are ignored.
   */
  readonly redirect: (state: string) => Effect.Effect<AuthorizationResponse, LoopbackCallbackError>
}

export interface LoopbackCallbackShape {
  /** Ready to receive the answer at the loopback redirect URI on `port`, until the scope closes. */
  readonly listen: (port: number) => Effect.Effect<RedirectListener, LoopbackCallbackError, Scope.Scope>
}

/**
 * Where Spotify's answer to the authorize request comes back. Adapters, each exporting its
 * `layer`: ServerCallback (a loopback HTTP server), PastedCallback (the user pastes the address).
 */
export class LoopbackCallback extends Context.Tag("spotify-pipeline/LoopbackCallback")<LoopbackCallback, LoopbackCallbackShape>() {}

export const callbackPath = "/callback"

/** The port of the redirect URI when none is asked for: `http://127.0.0.1:8888/callback`. */
export const defaultCallbackPort = 8888

export const redirectUriFor = (port: number) => `http://127.0.0.1:${port}${callbackPath}`
