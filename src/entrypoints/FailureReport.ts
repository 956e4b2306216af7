import * as ConfigError from "effect/ConfigError"

const settingProblems = (error: ConfigError.ConfigError): ReadonlyArray<string> => {
  switch (error._op) {
    case "And":
    case "Or":
      return [...settingProblems(error.left), ...settingProblems(error.right)]
    case "MissingData":
      return [`${error.path.join("_")} is not set`]
    case "InvalidData":
      return [error.path.length === 0 ? error.message : `${error.path.join("_")} is not valid (${error.message})`]
    default:
      return [error.message]
  }
}

interface Explained {
  readonly _tag: string
  readonly message: string
  readonly reason?: string
  readonly cause?: unknown
}

/** No account connected at all: nothing failed, there is just nothing to sign in with yet. */
const notConnected = (error: Explained): boolean =>
  error.reason === "NotConnected" ||
  (error.reason === "Auth" && typeof error.cause === "object" && error.cause !== null && "reason" in error.cause &&
    error.cause.reason === "NotConnected")

/** One sentence a person can act on, for any failure a command can end with; never a stack trace. */
export const describeFailure = (error: ConfigError.ConfigError | Explained): string => {
  if (ConfigError.isConfigError(error)) {
    return `Missing or wrong setting: ${[...new Set(settingProblems(error))].join("; ")}. See the README's configuration table.`
  }
  if (notConnected(error)) return error.message
  switch (error._tag) {
    case "SpotifyAuthRevoked":
    case "SpotifyAuthError":
      return `Spotify sign-in failed: ${error.message}`
    case "SpotifyClientError":
      return error.reason === "Auth" ? `Spotify sign-in failed: ${error.message}` : `Spotify request failed: ${error.message}`
    case "StorageError":
    case "TokenStoreError":
      return `The lake could not be used: ${error.message}`
    default:
      return error.message
  }
}

/** A defect (a bug, not a failure a command expects): one sentence naming it, never a stack trace. */
export const describeDefect = (defect: unknown): string =>
  `Stopped by an unexpected error (a bug in spotify-pipeline; please report it): ${
    defect instanceof Error ? `${defect.name}: ${defect.message}` : String(defect)
  }`
