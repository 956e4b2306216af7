import * as Command from "@effect/cli/Command"
import * as Effect from "effect/Effect"

// Its code (the emulator and the import) is a chunk of its own, loaded only when the demo runs.
export const demoCommand = Command.make("demo", {}, () => Effect.flatMap(Effect.promise(() => import("./DemoRun.js")), (m) => m.run())).pipe(
  Command.withDescription("Run the whole pipeline against a local Spotify emulator and a fresh lake folder.")
)
