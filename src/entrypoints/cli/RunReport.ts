import type { RunSummary } from "../../domain/RunSummary.js"
import { tokenKey } from "../../services/lake/LakeLayout.js"
import { loginCommand } from "../../services/spotify/ReconnectHint.js"
import type { LoginResult } from "../../programs/Login.js"
import type { StatusReport } from "../../programs/SyncStatus.js"
import { withThousands } from "../../domain/Thousands.js"

const outcomeLines = (summary: RunSummary, lake: string): ReadonlyArray<string> => {
  switch (summary.outcome) {
    case "busy":
      return [`skipped: ${summary.message}`]
    case "rate_limited":
      return [`rate limited: ${summary.message}`]
    case "synced": {
      const lines = [
        `synced: ${summary.new} new plays of ${summary.fetched} fetched into ${lake} (${summary.duplicates_skipped} already ` +
        `there); cursor ${summary.cursor ?? "none yet"}`
      ]
      if (summary.future_dated > 0) {
        lines.push(
          `CLOCK: ${summary.future_dated} play(s) stamped later than this machine's clock were kept aside in state/aside/, not landed`
        )
      }
      if (summary.gap !== null) {
        lines.push(
          `GAP: Spotify no longer shows any play captured before (more than 50 since the last sync); plays between ` +
            `${summary.gap.from} and ${summary.gap.to} may be lost (recorded in state/gaps/)`
        )
      }
      return lines
    }
  }
}

/** One run, for people: what landed where, where the cursor is, and any gap or expiring token, loudly. */
export const describeRun = (summary: RunSummary, lake: string): ReadonlyArray<string> => [
  ...outcomeLines(summary, lake),
  ...(summary.token_warning === null ? [] : [`TOKEN: ${summary.token_warning}`])
]

const tokenLine = (token: StatusReport["token"]) =>
  token === null
    ? `none stored (run \`${loginCommand}\`)`
    : `authorised ${token.authorised_at} (${
      token.age_days >= 0
        ? `${token.age_days} days ago`
        : `${-token.age_days} days ahead of this machine's clock, which is behind or was ahead at login`
    }), Spotify ends it ${token.expires_at}`

const gapLines = (status: StatusReport): ReadonlyArray<string> => [
  `gaps:       ${
    status.gap_count === 0
      ? "none"
      : `${withThousands(status.gap_count)} window(s) where plays may be lost` +
        (status.gap_count > status.gaps.length ? ` (the latest ${status.gaps.length} below; all in state/gaps/)` : "")
  }`,
  ...status.gaps.map((gap) => `            ${gap.from} .. ${gap.to} (found ${gap.detected_at})`)
]

const staleFor = (hours: number) => hours < 48 ? `${hours} hours` : `${Math.floor(hours / 24)} days`

const damagedLines = (status: StatusReport): ReadonlyArray<string> =>
  status.damaged.map((file) => `DAMAGED:    ${file.key}: ${file.problem}`)

const problemLines = (status: StatusReport): ReadonlyArray<string> => [
  ...(status.stale_hours === null || status.last_run === null
    ? []
    : [
      `STALE:      no sync has succeeded for ${staleFor(status.stale_hours)} (since ${status.last_run.finished_at}): Spotify shows ` +
      "only the last 50 plays, so plays may be slipping away; is the schedule (cron, the Lambda) still running? The next " +
      "sync records any window it can no longer see."
    ]),
  ...(status.last_failure === null
    ? []
    : [`LAST RUN FAILED at ${status.last_failure.at} (${status.last_failure.error}): ${status.last_failure.message}`]),
  ...damagedLines(status),
  ...(status.aside === 0 ? [] : [`aside:      ${status.aside} play(s) stamped in the future, kept in state/aside/ and not landed`]),
  ...(status.kept_damaged.length === 0
    ? []
    : [
      `KEPT ASIDE: ${status.kept_damaged.length} damaged object(s) a run set aside in state/damaged/ and wrote again ` +
      `(the latest: ${status.kept_damaged.at(-1)}); see docs/lake.md`
    ]),
  ...status.strangers.map((key) => `STRANGER:   ${key} was not written by spotify-pipeline; it is never read as plays`),
  ...(status.auth_revoked === null ? [] : [`SYNC STOPPED since ${status.auth_revoked.at}: ${status.auth_revoked.message}`]),
  ...(status.state_missing
    ? ["NOTE:       state/sync.json is missing (cursor and run log): the next sync writes it again, reading the lake's plays back"]
    : [])
]

const tokenLines = (status: StatusReport): ReadonlyArray<string> => [
  `token:      ${
    status.token === null && status.damaged.some((object) => object.key === tokenKey)
      ? `not readable (named under DAMAGED); run \`${loginCommand}\` to store a new one`
      : tokenLine(status.token)
  }`,
  ...(status.token === null || status.token.warning === null ? [] : [`WARNING:    ${status.token.warning}`])
]

/** A lake live capture has started in. */
const startedLines = (status: StatusReport, lake: string): ReadonlyArray<string> => [
  `lake:       ${lake}`,
  `cursor:     ${status.cursor ?? "none (no play captured yet)"}`,
  `watching:   ${status.watching_since === null ? "not yet (no sync has run)" : `since ${status.watching_since}`}`,
  `last run:   ${
    status.last_run === null
      ? "never"
      : `${status.last_run.finished_at}, ${status.last_run.outcome}, ${status.last_run.new} new of ${status.last_run.fetched}`
  }`,
  ...gapLines(status),
  ...tokenLines(status),
  ...problemLines(status)
]

/** A lake that holds imported exports but no sync yet: the lake is there, live capture is not. */
const importsOnlyLines = (status: StatusReport, lake: string): ReadonlyArray<string> => [
  `lake:       ${lake}`,
  "watching:   not yet: live capture has not started (no sync has run). Run `npm start -- sync` to start it.",
  ...tokenLines(status),
  ...problemLines(status)
]

/** Nothing there yet, as before a first sync (or LAKE_URL points elsewhere). */
const noLakeLines = (status: StatusReport, lake: string): ReadonlyArray<string> => [
  `No lake at ${lake} yet: nothing has been synced there, as before a first sync. Run \`npm start -- sync\` to ` +
  "start it (or check LAKE_URL if your lake is elsewhere).",
  ...tokenLines(status),
  // A token stored before any sync (by login) can be the one damaged thing there.
  ...damagedLines(status)
]

/**
 * `status`' lines on live capture. `imported`: the lake holds imported exports (or their records),
 * so that before a first sync it is a lake live capture has not started in, not no lake.
 */
export const describeStatus = (status: StatusReport, lake: string, imported = false): ReadonlyArray<string> =>
  status.started ? startedLines(status, lake) : imported ? importsOnlyLines(status, lake) : noLakeLines(status, lake)

export const describeLogin = (result: LoginResult, lake: string): ReadonlyArray<string> => [
  `Connected Spotify account: ${result.account.display_name ?? result.account.id} (user id ${result.account.id}).`,
  `The refresh token is stored (lake: ${lake}). Spotify ends it ${result.token.expires_at}, six months from now; ` +
  "`status` shows its age, and every sync warns from five months on.",
  "Next: `npm start -- sync` captures your plays (run it at least every couple of hours)."
]
