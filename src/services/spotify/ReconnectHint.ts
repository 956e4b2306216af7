import * as Context from "effect/Context"

/** The one command that connects (or reconnects) a Spotify account from the CLI. */
export const loginCommand = "npm start -- login"

/**
 * What to tell the user to do when the refresh token is refused or about to end. It depends
 * on where the token lives: the CLI's `login`, or on Lambda, the Secrets Manager secret.
 */
export class ReconnectHint extends Context.Reference<ReconnectHint>()("spotify-pipeline/ReconnectHint", {
  defaultValue: (): {
    readonly instruction: string
    /** Where the app's credentials are set, for a refusal of them. */
    readonly credentials: string
    /** Another way to connect, said when none is: none on Lambda, whose secret is the only source. */
    readonly otherwise: string
  } => ({
    instruction: `run \`${loginCommand}\``,
    credentials: "SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET",
    otherwise: " (or set SPOTIFY_REFRESH_TOKEN to a refresh token issued to your app)"
  })
}) {}
