import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { buildReport } from "../../src/programs/BuildReport.js"
import { analyticsOver, exportRow, handLake, play } from "../support/HandLake.js"

/*
 * The report's days are the user's: a listen late on 10 March in UTC is on 11 March in Kiribati
 * (UTC+14), for live capture and for each export alike, whatever zone the machine is in.
 */

const sourcesTable = (html: string) => {
  const at = html.indexOf("<caption>Where the history comes from</caption>")
  expect(at).toBeGreaterThanOrEqual(0)
  return html.slice(at, html.indexOf("</table>", at))
}

const rowsOf = (table: string) =>
  [...table.matchAll(/<tr><td>(.*?)<\/td><td>(.*?)<\/td><td>(.*?)<\/td>/g)].map(([, source, from, to]) => ({ source, from, to }))

describe("the report", () => {
  it.scoped("gives each source's first and last day in the report's time zone", () =>
    Effect.gen(function*() {
      const root = yield* handLake({
        plays: [play("2024-03-10T11:00:00Z", "Early Bird", "Dawn Chorus")],
        exports: [
          exportRow("extended", "2024-03-10T12:30:00Z", "Late Show", "Night Owls"),
          exportRow("account", "2024-03-10T13:00:00Z", "Later Show", "Night Owls")
        ]
      })
      const html = yield* buildReport({ vars: { tz: "Pacific/Kiritimati" }, year: undefined, progress: () => Effect.void }).pipe(
        Effect.provide(analyticsOver(root))
      )
      expect(rowsOf(sourcesTable(html))).toEqual([
        { source: "Live capture (API)", from: "11 Mar 2024", to: "11 Mar 2024" },
        { source: "Extended streaming history", from: "11 Mar 2024", to: "11 Mar 2024" },
        { source: "Account data export", from: "11 Mar 2024", to: "11 Mar 2024" }
      ])
    }))
})
