import * as Options from "@effect/cli/Options"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { realpathSync } from "node:fs"

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

/**
 * The zone a TZ value names. POSIX allows a leading ":" and a zone file's path
 * (`TZ=:/etc/localtime`, common on Linux): a path is followed to its file under `zoneinfo/`.
 */
export const zoneOfTz = (value: string, realPath: (path: string) => string = realpathSync): string => {
  const name = value.startsWith(":") ? value.slice(1) : value
  if (!name.startsWith("/")) return name
  const file = (() => {
    try {
      return realPath(name)
    } catch {
      return name
    }
  })()
  const at = file.lastIndexOf("/zoneinfo/")
  return at >= 0 ? file.slice(at + "/zoneinfo/".length) : name
}

/** The system's zone; ICU says Etc/Unknown when TZ is set but empty, which POSIX reads as UTC. */
const systemZone = () => {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone as string | undefined
  return zone === undefined || zone === "Etc/Unknown" ? "UTC" : zone
}

const fixedOffset = /^([+-])(\d{2}):(\d{2})$/

/** Why `zone` cannot be used, or its canonical name. Offsets pass Intl on Node 24 but not DuckDB's ICU. */
export const checkTimeZone = (zone: string): { readonly zone: string } | { readonly problem: string } => {
  const canonical = known(zone)
  if (canonical === undefined) {
    return { problem: `unknown time zone ${JSON.stringify(zone)} (--tz or TZ): use an IANA name such as Europe/Paris` }
  }
  const offset = fixedOffset.exec(canonical)
  if (offset !== null) {
    // Etc/GMT zones count the other way: Etc/GMT-1 is UTC+01:00.
    const whole = offset[3] === "00" ? ` (a fixed offset of whole hours is Etc/GMT${offset[1] === "+" ? "-" : "+"}${Number(offset[2])})` : ""
    return { problem: `time zone ${JSON.stringify(zone)} is a fixed offset: use an IANA name such as Europe/Paris${whole}` }
  }
  return { zone: canonical }
}

/** `--tz`, else the TZ variable, else the system's zone; an unknown name is one sentence. */
export const resolveTimeZone = (option: Option.Option<string>) =>
  Effect.gen(function*() {
    const fromEnv = Option.map(yield* Config.option(Config.nonEmptyString("TZ")), (value) => zoneOfTz(value))
    const zone = Option.getOrElse(Option.orElse(option, () => fromEnv), systemZone)
    const checked = checkTimeZone(zone)
    if ("problem" in checked) return yield* Effect.fail(ConfigError.InvalidData([], checked.problem))
    return checked.zone
  })

/** Progress lines for long work, on a terminal only (stderr, so piped results stay clean). */
export const terminalProgress = (line: string) => process.stderr.isTTY ? Console.error(line) : Effect.void
