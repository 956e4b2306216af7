import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { spawn } from "node:child_process"
import { Browser } from "./Browser.js"

interface BrowserSettings {
  readonly browser: Option.Option<string>
  readonly display: Option.Option<string>
}

const browserSettings: Config.Config<BrowserSettings> = Config.all({
  browser: Config.option(Config.nonEmptyString("BROWSER")),
  display: Config.option(Config.nonEmptyString("DISPLAY")).pipe(
    Config.orElse(() => Config.option(Config.nonEmptyString("WAYLAND_DISPLAY")))
  )
})

/** A program and its arguments. */
export interface Launcher {
  readonly command: string
  readonly args: ReadonlyArray<string>
}

/** The command that opens `url`, if any; without a display, xdg-open could start a text browser in our terminal. */
export const launcherFor = (platform: string, settings: BrowserSettings, url: string): Option.Option<Launcher> => {
  if (Option.isSome(settings.browser)) {
    return settings.browser.value === "none" ? Option.none() : Option.some({ command: settings.browser.value, args: [url] })
  }
  switch (platform) {
    case "darwin":
      return Option.some({ command: "open", args: [url] })
    case "win32":
      return Option.some({ command: "rundll32", args: ["url.dll,FileProtocolHandler", url] })
    default:
      return Option.isSome(settings.display) ? Option.some({ command: "xdg-open", args: [url] }) : Option.none()
  }
}

/**
 * Starts `launcher` on its own and leaves it running: a browser started directly (BROWSER=firefox)
 * stays open after the login ends, and is the user's to close, never ours to stop. Done once it
 * has started (or failed to: the address is printed anyway).
 */
const start = (launcher: Launcher) =>
  Effect.async<void>((resume) => {
    try {
      const child = spawn(launcher.command, [...launcher.args], { detached: true, stdio: "ignore" })
      child.once("spawn", () => {
        child.unref()
        resume(Effect.void)
      })
      child.once("error", (error) => resume(Effect.logDebug(`could not open a browser: ${error.message}`)))
    } catch (error) {
      resume(Effect.logDebug(`could not open a browser: ${error instanceof Error ? error.message : String(error)}`))
    }
  })

const make = Effect.gen(function*() {
  const settings = yield* browserSettings
  const open = Effect.fn("Browser.open")(function*(url: string) {
    const launcher = launcherFor(process.platform, settings, url)
    if (Option.isSome(launcher)) yield* start(launcher.value)
  })
  return { open } satisfies typeof Browser.Service
})

/** The desktop's browser (`open`, `xdg-open` when a display is set, or `$BROWSER`; `BROWSER=none` opens nothing). */
export const layer: Layer.Layer<Browser, ConfigError.ConfigError> = Layer.effect(Browser, make)
