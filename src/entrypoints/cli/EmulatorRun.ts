import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Emulator from "../../emulator/Emulator.js"
import { zipPackage } from "../../emulator/Export.js"
import { printLines } from "./CliCommon.js"

interface EmulatorConfig {
  readonly port: number
  readonly plays: number
  readonly seed: number
  readonly exportTo: Option.Option<string>
}

/** Serves the emulator until interrupted, or writes its export and ends. */
export const run = ({ exportTo, plays, port, seed }: EmulatorConfig) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.make({ port, seed })
    yield* emulator.listen(plays)
    if (Option.isSome(exportTo)) {
      const files = yield* emulator.exportFiles()
      yield* Effect.flatMap(FileSystem.FileSystem, (fs) => fs.writeFile(exportTo.value, zipPackage(files)))
      return yield* printLines([`Wrote the privacy exports for ${plays} simulated plays (seed ${seed}) to ${exportTo.value}`])
    }
    const app = `SPOTIFY_API_URL=${emulator.url} SPOTIFY_ACCOUNTS_URL=${emulator.url} \\\n` +
      "  SPOTIFY_CLIENT_ID=emulator-client SPOTIFY_CLIENT_SECRET=emulator-secret"
    yield* printLines([
      `Spotify emulator serving at ${emulator.url} with ${plays} plays (Ctrl-C stops it). Point a sync at it with:`,
      `  ${app} \\`,
      "  SPOTIFY_REFRESH_TOKEN=emulator-refresh-token npm start -- sync",
      "Or try connecting an account (its consent page has an Agree link; without a browser, add --no-browser):",
      `  ${app} \\`,
      "  npm start -- login"
    ])
    return yield* Effect.never
  }).pipe(Effect.scoped)
