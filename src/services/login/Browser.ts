import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

export interface BrowserShape {
  /** Best effort: opening may fail silently, so the address is always printed as well. */
  readonly open: (url: string) => Effect.Effect<void>
}

/** Opens an address for the user to visit. Adapters: SystemBrowser; `noBrowser` opens nothing. */
export class Browser extends Context.Tag("spotify-pipeline/Browser")<Browser, BrowserShape>() {}

/** For `login --no-browser`: the address is only printed. */
export const noBrowser: Layer.Layer<Browser> = Layer.succeed(Browser, { open: () => Effect.void })
