import type { RunSummary } from "../../domain/SyncState.js"
import { loginCommand } from "../../services/spotify/ReconnectHint.js"
import type { LoginResult } from "../../programs/Login.js"
import type { StatusReport } from "../../programs/SyncStatus.js"

const outcomeLines = (summary: RunSummary): ReadonlyArray<string> => {
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

/** One run, for people: what landed, where the cursor is, and any gap or expiring token, loudly. */
export const describeRun = (summary: RunSummary): ReadonlyArray<string> => [
  ...outcomeLines(summary),
  ...(summary.token_warning === null ? [] : [`TOKEN: ${summary.token_warning}`])
]

const tokenLine = (token: StatusReport["token"]) =>
  token === null
    ? `none stored (run \`${loginCommand}\`)`
    : `authorised ${token.authorised_at} (${token.age_days} days ago), Spotify ends it ${token.expires_at}`

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
  `token:      ${tokenLine(status.token)}`,
  ...(status.token === null || status.token.warning === null ? [] : [`WARNING:    ${status.token.warning}`]),
  ...(status.auth_revoked === null
    ? []
    : [`SYNC STOPPED since ${status.auth_revoked.at}: ${status.auth_revoked.message}`])
]

export const describeLogin = (result: LoginResult, lake: string): ReadonlyArray<string> => [
  `Connected Spotify account: ${result.account.display_name ?? result.account.id} (user id ${result.account.id}).`,
  `The refresh token is stored (lake: ${lake}). Spotify ends it ${result.token.expires_at}, six months from now; ` +
  "`status` shows its age, and every sync warns from five months on.",
  "Next: `npm start -- sync` captures your plays (run it at least every couple of hours)."
]
