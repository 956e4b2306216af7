import * as Context from "effect/Context"

/** The one command that connects (or reconnects) a Spotify account from the CLI. */
export const loginCommand = "npm start -- login"

/**
 * What to tell the user to do when the refresh token is refused or about to end. It depends
 * on where the token lives: the CLI's `login`, or on Lambda, the Secrets Manager secret.
 */
export class ReconnectHint extends Context.Reference<ReconnectHint>()("spotify-pipeline/ReconnectHint", {
  defaultValue: () => ({ instruction: `run \`${loginCommand}\`` })
}) {}
