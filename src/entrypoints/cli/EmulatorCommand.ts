import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"

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

// Its code (the emulator) is a chunk of its own, loaded only when it runs.
export const emulatorCommand = Command.make(
  "emulator",
  { port: emulatorPort, plays: emulatorPlays, seed: emulatorSeed, exportTo },
  (config) => Effect.flatMap(Effect.promise(() => import("./EmulatorRun.js")), (m) => m.run(config))
).pipe(
  Command.withDescription("Serve the Spotify emulator on its own, for pointing sync (or anything else) at it.")
)
