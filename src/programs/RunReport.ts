import type { RunSummary } from "../domain/SyncState.js"
import type { StatusReport } from "./SyncStatus.js"

/** One run, for people: what landed, where the cursor is, and any gap, loudly. */
export const describeRun = (summary: RunSummary): ReadonlyArray<string> => {
  switch (summary.outcome) {
    case "busy":
      return [`skipped: ${summary.message}`]
    case "rate_limited":
      return [`rate limited: ${summary.message}`]
    case "synced": {
      const lines = [
        `synced: ${summary.new} new plays of ${summary.fetched} fetched (${summary.duplicates_skipped} already in the lake); cursor ${
          summary.cursor ?? "none yet"
        }`
      ]
      if (summary.gap !== null) {
        lines.push(
          `GAP: more than 50 plays since the last sync; plays between ${summary.gap.from} and ${summary.gap.to} may be lost (recorded in state/gaps/)`
        )
      }
      return lines
    }
  }
}

export const describeStatus = (status: StatusReport, lake: string): ReadonlyArray<string> => [
  `lake:       ${lake}`,
  `cursor:     ${status.cursor ?? "none (no play captured yet)"}`,
  `watching:   ${status.watching_since === null ? "not yet (no sync has run)" : `since ${status.watching_since}`}`,
  `last run:   ${
    status.last_run === null
      ? "never"
      : `${status.last_run.finished_at}, ${status.last_run.outcome}, ${status.last_run.new} new of ${status.last_run.fetched}`
  }`,
  `gaps:       ${status.gaps.length === 0 ? "none" : `${status.gaps.length} window(s) where plays may be lost`}`,
  ...status.gaps.map((gap) => `            ${gap.from} .. ${gap.to} (found ${gap.detected_at})`),
  `token:      ${
    status.token === null
      ? "none stored (set SPOTIFY_REFRESH_TOKEN)"
      : `authorised ${status.token.authorised_at} (${status.token.age_days} days ago), Spotify ends it ${status.token.expires_at}`
  }`
]
