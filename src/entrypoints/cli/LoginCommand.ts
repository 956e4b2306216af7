import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import type { LakeLocation } from "../../domain/LakeLocation.js"
import { defaultLoginOptions, login } from "../../programs/Login.js"
import { noBrowser as noBrowserLayer } from "../../services/login/Browser.js"
import * as PastedCallback from "../../services/login/PastedCallback.js"
import * as ServerCallback from "../../services/login/ServerCallback.js"
import * as SystemBrowser from "../../services/login/SystemBrowser.js"
import { SpotifyAccounts } from "../../services/spotify/SpotifyAccounts.js"
import { SpotifyHttp } from "../../services/spotify/SpotifyHttp.js"
import { lakeUrl, layerSync } from "../AppLayer.js"
import { layerCore, printLines } from "./CliCommon.js"
import { describeLogin } from "./RunReport.js"

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
  const core = layerCore(location)
  return Layer.mergeAll(
    SpotifyAccounts.layer.pipe(Layer.provide(SpotifyHttp.layer)),
    paste ? PastedCallback.layer(process.stdin, process.stdout) : ServerCallback.layer,
    paste ? noBrowserLayer : SystemBrowser.layer,
    layerSync(core)
  ).pipe(Layer.provideMerge(core))
}

export const loginCommand = Command.make("login", { port, noBrowser }, ({ noBrowser, port }) =>
  Effect.gen(function*() {
    const lake = yield* lakeUrl
    const result = yield* login({ ...defaultLoginOptions, port }).pipe(Effect.provide(layerLogin(lake.location, noBrowser)))
    yield* printLines(describeLogin(result, lake.url))
  })).pipe(
    Command.withDescription("Connect your Spotify account (Authorization Code with PKCE) and store its refresh token.")
  )
