import * as Context from "effect/Context"

/**
 * When the current run must be finished (epoch ms). SpotifyHttp's retries consult it: a
 * `Retry-After` that would outlive the run ends the run cleanly instead of waiting.
 * Unbounded unless a program provides one.
 */
export class RunDeadline extends Context.Reference<RunDeadline>()("spotify-pipeline/RunDeadline", {
  defaultValue: () => ({ atMs: Number.POSITIVE_INFINITY })
}) {}
