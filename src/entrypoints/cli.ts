import * as Command from "@effect/cli/Command"
import * as ValidationError from "@effect/cli/ValidationError"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import { demoCommand } from "./cli/DemoCommand.js"
import { emulatorCommand } from "./cli/EmulatorCommand.js"
import { loginCommand } from "./cli/LoginCommand.js"
import { modelsCommand } from "./cli/ModelsCommand.js"
import { queryCommand } from "./cli/QueryCommand.js"
import { reportCommand } from "./cli/ReportCommand.js"
import { statusCommand } from "./cli/StatusCommand.js"
import { syncCommand } from "./cli/SyncCommand.js"
import { describeFailure } from "./FailureReport.js"

const root = Command.make("spotify-pipeline").pipe(
  Command.withDescription("Capture your Spotify listening history into your own data lake, gap-free and exactly once."),
  Command.withSubcommands([
    loginCommand,
    syncCommand,
    statusCommand,
    modelsCommand,
    queryCommand,
    reportCommand,
    demoCommand,
    emulatorCommand
  ])
)

const cli = Command.run(root, { name: "spotify-pipeline", version: "0.1.0" })

const exitWith = (code: number) => Effect.sync(() => void (process.exitCode = code))

cli(process.argv).pipe(
  // @effect/cli has already printed usage errors with the help text.
  Effect.catchIf(ValidationError.isValidationError, () => exitWith(2)),
  Effect.catchAll((error) => Console.error(describeFailure(error)).pipe(Effect.zipRight(exitWith(1)))),
  Effect.provide(Layer.mergeAll(NodeContext.layer, NodeHttpClient.layerUndici)),
  Effect.provide(Logger.replace(Logger.defaultLogger, Logger.prettyLogger({ stderr: true }))),
  NodeRuntime.runMain({ disableErrorReporting: true, disablePrettyLogger: true })
)
