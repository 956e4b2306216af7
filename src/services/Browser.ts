import { Context, Effect, Layer } from "effect"
import { makeSystemBrowser } from "./BrowserSystem.js"

export interface BrowserShape {
  /** Best effort: opening may fail silently, so the address is always printed as well. */
  readonly open: (url: string) => Effect.Effect<void>
}

/** Opens an address for the user to visit. */
export class Browser extends Context.Tag("spotify-pipeline/Browser")<Browser, BrowserShape>() {
  /** The desktop's browser (`open`, `xdg-open` when a display is set, or `$BROWSER`; `BROWSER=none` opens nothing). */
  static readonly layerSystem = Layer.effect(Browser, makeSystemBrowser)

  static readonly layerNone: Layer.Layer<Browser> = Layer.succeed(Browser, { open: () => Effect.void })
}
