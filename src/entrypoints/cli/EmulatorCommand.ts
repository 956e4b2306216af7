import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Emulator from "../../emulator/Emulator.js"
import { zipPackage } from "../../emulator/Export.js"
import { printLines } from "./CliCommon.js"

const emulatorPort = Options.integer("port").pipe(
  Options.withSchema(Schema.Int.pipe(Schema.between(0, 65535))),
  Options.withDefault(8080),
  Options.withDescription("the port to serve on, at 127.0.0.1 (0 picks a free port)")
)

const emulatorPlays = Options.integer("plays").pipe(
  Options.withSchema(Schema.Int.pipe(Schema.between(0, 10_000))),
  Options.withDefault(30),
  Options.withDescription("how many plays the simulated listener has made before the first sync")
)

const emulatorSeed = Options.integer("seed").pipe(
  Options.withDefault(1),
  Options.withDescription("seeds the simulated catalog and listening (the demo's is 7)")
)

const exportTo = Options.text("export").pipe(
  Options.optional,
  Options.withDescription("write the privacy-export zip Spotify would send for the simulated plays to this path, and exit")
)

export const emulatorCommand = Command.make(
  "emulator",
  { port: emulatorPort, plays: emulatorPlays, seed: emulatorSeed, exportTo },
  ({ exportTo, plays, port, seed }) =>
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
  }).pipe(Effect.scoped)).pipe(
    Command.withDescription("Serve the Spotify emulator on its own, for pointing sync (or anything else) at it.")
  )
