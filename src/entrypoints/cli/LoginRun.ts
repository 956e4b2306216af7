import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { LakeLocation } from "../../domain/LakeLocation.js"
import { defaultLoginOptions, login } from "../../programs/Login.js"
import { noBrowser as noBrowserLayer } from "../../services/login/Browser.js"
import * as PastedCallback from "../../services/login/PastedCallback.js"
import * as ServerCallback from "../../services/login/ServerCallback.js"
import * as SystemBrowser from "../../services/login/SystemBrowser.js"
import { SpotifyAccounts } from "../../services/spotify/SpotifyAccounts.js"
import { SpotifyHttp } from "../../services/spotify/SpotifyHttp.js"
import { layerSync } from "../AppLayer.js"
import { cliLakeUrl } from "./CliLakeUrl.js"
import { printLines } from "./CliCommon.js"
import { layerCore, layerHttpClient } from "./SyncCore.js"
import { describeLogin } from "./RunReport.js"

/** Login's ports: Spotify's accounts service and API, the token store, and the way back from the browser. */
const layerLogin = (location: LakeLocation, paste: boolean) => {
  const core = layerCore(location)
  return Layer.mergeAll(
    SpotifyAccounts.layer.pipe(Layer.provide(SpotifyHttp.layer)),
    paste ? PastedCallback.layer(process.stdin, process.stdout) : ServerCallback.layer,
    paste ? noBrowserLayer : SystemBrowser.layer,
    layerSync(core)
  ).pipe(Layer.provideMerge(core), Layer.provide(layerHttpClient))
}

/** Connects an account and says whose it is. */
export const run = ({ noBrowser, port }: { readonly noBrowser: boolean; readonly port: number }) =>
  Effect.gen(function*() {
    const lake = yield* cliLakeUrl
    const result = yield* login({ ...defaultLoginOptions, port }).pipe(Effect.provide(layerLogin(lake.location, noBrowser)))
    yield* printLines(describeLogin(result, lake.url))
  })
