import * as Options from "@effect/cli/Options"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"

export const tz = Options.text("tz").pipe(
  Options.optional,
  Options.withDescription("your time zone (IANA name, e.g. Europe/Paris): days, hours and streaks are local; default TZ, else the system's")
)

const known = (zone: string) => {
  try {
    return new Intl.DateTimeFormat("en", { timeZone: zone }).resolvedOptions().timeZone
  } catch {
    return undefined
  }
}

/** `--tz`, else the TZ variable, else the system's zone; an unknown name is one sentence. */
export const resolveTimeZone = (option: Option.Option<string>) =>
  Effect.gen(function*() {
    const fromEnv = yield* Config.option(Config.nonEmptyString("TZ"))
    const zone = Option.getOrElse(Option.orElse(option, () => fromEnv), () => Intl.DateTimeFormat().resolvedOptions().timeZone)
    const canonical = known(zone)
    if (canonical === undefined) {
      return yield* Effect.fail(
        ConfigError.InvalidData([], `unknown time zone ${JSON.stringify(zone)} (--tz or TZ): use an IANA name such as Europe/Paris`)
      )
    }
    return canonical
  })

/** Progress lines for long work, on a terminal only (stderr, so piped results stay clean). */
export const terminalProgress = (line: string) => process.stderr.isTTY ? Console.error(line) : Effect.void
