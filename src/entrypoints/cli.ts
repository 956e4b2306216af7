import * as CliConfig from "@effect/cli/CliConfig"
import * as Command from "@effect/cli/Command"
import * as ValidationError from "@effect/cli/ValidationError"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import type { Teardown } from "@effect/platform/Runtime"
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import { demoCommand } from "./cli/DemoCommand.js"
import { emulatorCommand } from "./cli/EmulatorCommand.js"
import { importCommand } from "./cli/ImportCommand.js"
import * as LazyTerminal from "./cli/LazyTerminal.js"
import { loginCommand } from "./cli/LoginCommand.js"
import { modelsCommand } from "./cli/ModelsCommand.js"
import { queryCommand } from "./cli/QueryCommand.js"
import { reportCommand } from "./cli/ReportCommand.js"
import { statusCommand } from "./cli/StatusCommand.js"
import { syncCommand } from "./cli/SyncCommand.js"
import { describeDefect, describeFailure } from "./FailureReport.js"
import { printable } from "../domain/Printable.js"
import { withHelpConsole } from "./cli/HelpConsole.js"
import { nodeVersionNotice } from "./cli/NodeVersion.js"
import { printableLogger } from "./cli/PrintableLogger.js"

const root = Command.make("spotify-pipeline").pipe(
  Command.withDescription("Capture your Spotify listening history into your own data lake, gap-free and exactly once."),
  Command.withSubcommands([
    loginCommand,
    syncCommand,
    statusCommand,
    importCommand,
    modelsCommand,
    queryCommand,
    reportCommand,
    demoCommand,
    emulatorCommand
  ])
)

const program = "spotify-pipeline"

const cli = Command.run(root, { name: program, version: "0.1.0" })

const exitWith = (code: number) => Effect.sync(() => void (process.exitCode = code))

// @effect/cli offers a --wizard that needs an interactive terminal; it is neither listed nor taken here.
const run = (argv: ReadonlyArray<string>) =>
  argv.includes("--wizard")
    ? Console.error(`${program} has no wizard: \`npm start -- --help\` lists the commands.`).pipe(Effect.zipRight(exitWith(2)))
    : cli(argv)

/**
 * Stopped by Ctrl-C (or SIGTERM): exit code 130, as a shell reports an interrupted command, where the
 * runtime's default says 0 and `login && sync` would go on as if the login had been done.
 */
const interruptedExitsNonZero: Teardown = (exit, onExit) =>
  onExit(Exit.isFailure(exit) ? Cause.isInterruptedOnly(exit.cause) ? 130 : 1 : 0)

const coloured = process.stdout.isTTY === true && (process.env["NO_COLOR"] ?? "") === ""

nodeVersionNotice.pipe(
  Effect.zipRight(withHelpConsole(program, coloured, run(process.argv))),
  // @effect/cli has already printed usage errors with the help text.
  Effect.catchIf(ValidationError.isValidationError, () => exitWith(2)),
  // A message may quote a server's answer or a file's name: printed with its control characters escaped.
  Effect.catchAll((error) => Console.error(printable(describeFailure(error))).pipe(Effect.zipRight(exitWith(1)))),
  // A bug still ends with a sentence, not silently (the runtime's own report is off).
  Effect.catchAllDefect((defect) => Console.error(printable(describeDefect(defect))).pipe(Effect.zipRight(exitWith(1)))),
  // What every command needs; child processes only where a command runs one (login opens a browser).
  Effect.provide(Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, LazyTerminal.layer, CliConfig.layer({ showBuiltIns: false }))),
  Effect.provide(Logger.replace(Logger.defaultLogger, printableLogger(Logger.prettyLogger({ stderr: true })))),
  NodeRuntime.runMain({ disableErrorReporting: true, disablePrettyLogger: true, teardown: interruptedExitsNonZero })
)
