import * as Command from "@effect/cli/Command"
import * as Effect from "effect/Effect"
import { json } from "./CliCommon.js"

// Its code (the sync program, Spotify's clients, the HTTP client) is a chunk of its own, loaded only when sync runs.
export const syncCommand = Command.make(
  "sync",
  { json },
  (config) => Effect.flatMap(Effect.promise(() => import("./SyncRun.js")), (m) => m.run(config))
).pipe(Command.withDescription("Capture the plays Spotify shows now into the lake (one run)."))
