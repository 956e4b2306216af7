import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { defaultCallbackPort } from "../../services/login/LoopbackCallback.js"

const port = Options.integer("port").pipe(
  Options.withSchema(Schema.Int.pipe(Schema.between(0, 65535))),
  Options.withDefault(defaultCallbackPort),
  Options.withDescription("the port of the redirect URI http://127.0.0.1:<port>/callback listed in your Spotify app")
)

const noBrowser = Options.boolean("no-browser").pipe(
  Options.withDescription("for machines without a browser: open the address elsewhere, then paste back where it landed")
)

// Its code (the callback server, the browser) is a chunk of its own, loaded only when login runs.
export const loginCommand = Command.make(
  "login",
  { port, noBrowser },
  (config) => Effect.flatMap(Effect.promise(() => import("./LoginRun.js")), (m) => m.run(config))
).pipe(
  Command.withDescription("Connect your Spotify account (Authorization Code with PKCE) and store its refresh token.")
)
