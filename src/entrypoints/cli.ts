import { Command, Options, ValidationError } from "@effect/cli"
import { FileSystem } from "@effect/platform"
import { NodeContext, NodeHttpClient, NodeRuntime } from "@effect/platform-node"
import { ConfigProvider, Console, Effect, Layer, Logger, Schema } from "effect"
import { randomUUID } from "node:crypto"
import * as Emulator from "../emulator/Emulator.js"
import { LakeLocation } from "../domain/LakeLocation.js"
import { demo } from "../programs/Demo.js"
import { defaultSyncOptions, incrementalSync } from "../programs/IncrementalSync.js"
import { defaultLoginOptions, login } from "../programs/Login.js"
import { syncStatus } from "../programs/SyncStatus.js"
import { noBrowser as noBrowserLayer } from "../services/login/Browser.js"
import * as PastedCallback from "../services/login/PastedCallback.js"
import * as ServerCallback from "../services/login/ServerCallback.js"
import * as SystemBrowser from "../services/login/SystemBrowser.js"
import { SpotifyAccounts } from "../services/spotify/SpotifyAccounts.js"
import { SpotifyConfig } from "../services/spotify/SpotifyConfig.js"
import { lakeUrl, layerLake, layerLakeStorage, layerSync } from "./AppLayer.js"
import { describeFailure } from "./FailureReport.js"
import { describeLogin, describeRun, describeStatus } from "./cli/RunReport.js"

const json = Options.boolean("json").pipe(Options.withDescription("print the result as one JSON line"))

const runSync = Effect.suspend(() => incrementalSync({ ...defaultSyncOptions, runId: randomUUID() }))

/** Sync's ports from the environment: the lake at `LAKE_URL`, Spotify's settings. */
const layerSyncAt = (location: LakeLocation) => layerSync(Layer.merge(layerLakeStorage(location), SpotifyConfig.layer))

const printLines = (lines: ReadonlyArray<string>) => Effect.forEach(lines, (line) => Console.log(line), { discard: true })

const sync = Command.make("sync", { json }, ({ json }) =>
  Effect.gen(function*() {
    const lake = yield* lakeUrl
    const summary = yield* runSync.pipe(Effect.provide(layerSyncAt(lake.location)))
    yield* json ? Console.log(JSON.stringify(summary)) : printLines(describeRun(summary))
  })).pipe(Command.withDescription("Capture the plays Spotify shows now into the lake (one run)."))

const status = Command.make("status", { json }, ({ json }) =>
  Effect.gen(function*() {
    const lake = yield* lakeUrl
    const storage = layerLakeStorage(lake.location)
    const report = yield* syncStatus.pipe(Effect.provide(Layer.merge(layerLake.pipe(Layer.provide(storage)), storage)))
    yield* json ? Console.log(JSON.stringify(report)) : printLines(describeStatus(report, lake.url))
  })).pipe(
    Command.withDescription("Show the cursor, the last run, recorded gaps and the refresh token's age.")
  )

const port = Options.integer("port").pipe(
  Options.withSchema(Schema.Int.pipe(Schema.between(0, 65535))),
  Options.withDefault(defaultLoginOptions.port),
  Options.withDescription("the port of the redirect URI http://127.0.0.1:<port>/callback listed in your Spotify app")
)

const noBrowser = Options.boolean("no-browser").pipe(
  Options.withDescription("for machines without a browser: open the address elsewhere, then paste back where it landed")
)

/** Login's ports: Spotify's accounts service and API, the token store, and the way back from the browser. */
const layerLogin = (location: LakeLocation, paste: boolean) => {
  const core = Layer.merge(layerLakeStorage(location), SpotifyConfig.layer)
  return Layer.mergeAll(
    SpotifyAccounts.layer,
    paste ? PastedCallback.layer(process.stdin, process.stdout) : ServerCallback.layer,
    paste ? noBrowserLayer : SystemBrowser.layer,
    layerSync(core)
  ).pipe(Layer.provideMerge(core))
}

const loginCommand = Command.make("login", { port, noBrowser }, ({ noBrowser, port }) =>
  Effect.gen(function*() {
    const lake = yield* lakeUrl
    const result = yield* login({ ...defaultLoginOptions, port }).pipe(Effect.provide(layerLogin(lake.location, noBrowser)))
    yield* printLines(describeLogin(result, lake.url))
  })).pipe(
    Command.withDescription("Connect your Spotify account (Authorization Code with PKCE) and store its refresh token.")
  )

const demoCommand = Command.make("demo", {}, () =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.make({ seed: 7 })
    const lake = yield* FileSystem.FileSystem.pipe(
      Effect.flatMap((fs) => fs.makeTempDirectory({ prefix: "spotify-pipeline-demo-" }))
    )
    yield* Console.log(`Spotify emulator: ${emulator.url}  (no account needed)\nLake folder:      ${lake}`)
    const settings = ConfigProvider.fromMap(
      new Map([
        ["SPOTIFY_CLIENT_ID", "emulator-client"],
        ["SPOTIFY_CLIENT_SECRET", "emulator-secret"],
        ["SPOTIFY_REFRESH_TOKEN", "emulator-refresh-token"],
        ["SPOTIFY_API_URL", emulator.url],
        ["SPOTIFY_ACCOUNTS_URL", emulator.url]
      ])
    )
    const listener = {
      listen: emulator.listen,
      rateLimitNext: (seconds: number) =>
        emulator.fault({ endpoint: "recently-played", kind: "rate-limit", retryAfterSeconds: seconds })
    }
    const core = Layer.merge(layerLakeStorage(LakeLocation.Folder({ path: lake })), SpotifyConfig.layer)
    yield* demo(listener, runSync, lake, describeRun).pipe(
      Effect.provide(Layer.merge(layerSync(core), core).pipe(Layer.provide(Layer.setConfigProvider(settings))))
    )
  }).pipe(Effect.scoped)).pipe(
    Command.withDescription("Run the whole pipeline against a local Spotify emulator and a fresh lake folder.")
  )

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

const emulatorCommand = Command.make("emulator", { port: emulatorPort, plays: emulatorPlays }, ({ plays, port }) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.make({ port })
    yield* emulator.listen(plays)
    yield* printLines([
      `Spotify emulator serving at ${emulator.url} with ${plays} plays (Ctrl-C stops it). Point a sync at it with:`,
      `  SPOTIFY_API_URL=${emulator.url} SPOTIFY_ACCOUNTS_URL=${emulator.url} \\`,
      "  SPOTIFY_CLIENT_ID=emulator-client SPOTIFY_CLIENT_SECRET=emulator-secret \\",
      "  SPOTIFY_REFRESH_TOKEN=emulator-refresh-token npm start -- sync"
    ])
    return yield* Effect.never
  }).pipe(Effect.scoped)).pipe(
    Command.withDescription("Serve the Spotify emulator on its own, for pointing sync (or anything else) at it.")
  )

const root = Command.make("spotify-pipeline").pipe(
  Command.withDescription("Capture your Spotify listening history into your own data lake, gap-free and exactly once."),
  Command.withSubcommands([loginCommand, sync, status, demoCommand, emulatorCommand])
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
