import * as Command from "@effect/platform/Command"
import * as CommandExecutor from "@effect/platform/CommandExecutor"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
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

/** The command that opens `url`, if any; without a display, xdg-open could start a text browser in our terminal. */
export const launcherFor = (platform: string, settings: BrowserSettings, url: string): Option.Option<Command.Command> => {
  if (Option.isSome(settings.browser)) {
    return settings.browser.value === "none" ? Option.none() : Option.some(Command.make(settings.browser.value, url))
  }
  switch (platform) {
    case "darwin":
      return Option.some(Command.make("open", url))
    case "win32":
      return Option.some(Command.make("rundll32", "url.dll,FileProtocolHandler", url))
    default:
      return Option.isSome(settings.display) ? Option.some(Command.make("xdg-open", url)) : Option.none()
  }
}

const make = Effect.gen(function*() {
  const executor = yield* CommandExecutor.CommandExecutor
  const settings = yield* browserSettings
  const open = Effect.fn("Browser.open")(function*(url: string) {
    const launcher = launcherFor(process.platform, settings, url)
    if (Option.isNone(launcher)) return
    yield* executor.exitCode(launcher.value).pipe(
      Effect.timeout("10 seconds"),
      Effect.tapError((error) => Effect.logDebug(`could not open a browser: ${error.message}`)),
      Effect.ignore
    )
  })
  return { open } satisfies typeof Browser.Service
})

/** The desktop's browser (`open`, `xdg-open` when a display is set, or `$BROWSER`; `BROWSER=none` opens nothing). */
export const layer: Layer.Layer<Browser, ConfigError.ConfigError, CommandExecutor.CommandExecutor> = Layer.effect(Browser, make)
