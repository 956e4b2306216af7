import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { playKey } from "../../src/domain/Play.js"
import { exportRow, gap, handLake, linkToExtended, linkToPlay, play, rowsOf, withModels, writeLake } from "../support/HandLake.js"

/*
 * The models over small lakes written by hand, whose answers are known. Times are UTC; the
 * user's zone is Europe/Paris (UTC+1 in winter, UTC+2 from the last Sunday of March, 01:00 UTC).
 */

describe("the models", () => {
  it.scoped("build over an empty lake: every model exists and is empty, the heatmap a grid of zeros", () =>
    Effect.gen(function*() {
      const root = yield* handLake({})
      const counts = yield* withModels(
        root,
        rowsOf(`SELECT
          (SELECT count(*) FROM listens) AS listens, (SELECT count(*) FROM sessions) AS sessions,
          (SELECT count(*) FROM daily) AS daily, (SELECT count(*) FROM coverage) AS coverage,
          (SELECT count(*) FROM top_artists) AS top_artists, (SELECT count(*) FROM discoveries) AS discoveries,
          (SELECT count(*) FROM hour_weekday) AS cells, (SELECT sum(listens) FROM hour_weekday) AS heat,
          (SELECT count(*) FROM export_rows) AS export_rows, (SELECT count(*) FROM yearly) AS years`)
      )
      expect(counts).toEqual([{
        listens: 0, sessions: 0, daily: 0, coverage: 0, top_artists: 0, discoveries: 0,
        cells: 168, heat: 0, export_rows: 0, years: 0
      }])
    }))

  it.scoped("a session across local midnight is one session, on the day it started; the days split at local midnight", () =>
    Effect.gen(function*() {
      const root = yield* handLake({
        plays: [
          play("2024-01-10T22:45:00Z", "Late One", "Night Owls"), // 23:45 in Paris
          play("2024-01-10T23:05:00Z", "After Midnight", "Night Owls"), // 00:05 the next day
          play("2024-01-10T23:30:00Z", "Small Hours", "Night Owls"),
          play("2024-01-11T09:00:00Z", "Morning", "Early Birds") // hours later: a new session
        ]
      })
      const { days, sessions } = yield* withModels(
        root,
        Effect.all({
          sessions: rowsOf("SELECT session_id, local_date::varchar AS day, listens FROM sessions ORDER BY session_id"),
          days: rowsOf("SELECT local_date::varchar AS day, listens FROM daily ORDER BY local_date")
        })
      )
      expect(sessions).toEqual([{ session_id: 1, day: "2024-01-10", listens: 3 }, { session_id: 2, day: "2024-01-11", listens: 1 }])
      expect(days).toEqual([{ day: "2024-01-10", listens: 1 }, { day: "2024-01-11", listens: 3 }])
    }))

  it.scoped("the session gap is a setting: at 10 minutes the same listens make more sessions", () =>
    Effect.gen(function*() {
      const root = yield* handLake({
        plays: [play("2024-01-10T10:00:00Z", "A", "X"), play("2024-01-10T10:20:00Z", "B", "X"), play("2024-01-10T10:24:00Z", "C", "X")]
      })
      const count = (minutes: number) =>
        withModels(root, rowsOf("SELECT count(*) AS n FROM sessions"), { tz: "Europe/Paris", session_gap_minutes: minutes })
      // 10:20 started at 10:16:40 (200 s long), 16:40 after the first ended
      expect(yield* count(30)).toEqual([{ n: 1 }])
      expect(yield* count(10)).toEqual([{ n: 2 }])
    }))

  it.scoped("hours follow daylight saving: the night the clocks go forward has no 02:00", () =>
    Effect.gen(function*() {
      const root = yield* handLake({
        plays: [
          play("2024-03-31T00:30:00Z", "Before", "Clock"), // 01:30 CET
          play("2024-03-31T01:30:00Z", "After", "Clock"), // 03:30 CEST
          play("2024-03-30T01:30:00Z", "Saturday", "Clock") // 02:30 CET, the night before
        ]
      })
      const cells = yield* withModels(
        root,
        rowsOf("SELECT weekday, hour, listens FROM hour_weekday WHERE period = 'all' AND listens > 0 ORDER BY weekday, hour")
      )
      expect(cells).toEqual([{ weekday: 6, hour: 2, listens: 1 }, { weekday: 7, hour: 1, listens: 1 }, { weekday: 7, hour: 3, listens: 1 }])
    }))

  it.scoped("a streak broken by one idle day is two streaks with a one-day dry spell between", () =>
    Effect.gen(function*() {
      const days = ["2024-05-01", "2024-05-02", "2024-05-03", "2024-05-05", "2024-05-06"]
      const root = yield* handLake({ plays: days.map((day, i) => play(`${day}T12:00:00Z`, `Song ${i}`, "Steady")) })
      const runs = yield* withModels(
        root,
        rowsOf("SELECT kind, start_date::varchar AS start, days, rank_by_length FROM streaks ORDER BY start_date")
      )
      expect(runs).toEqual([
        { kind: "streak", start: "2024-05-01", days: 3, rank_by_length: 1 },
        { kind: "dry_spell", start: "2024-05-04", days: 1, rank_by_length: 1 },
        { kind: "streak", start: "2024-05-05", days: 2, rank_by_length: 2 }
      ])
    }))

  it.scoped("a listen both live and in the exports is one listen, with the export's ms_played", () =>
    Effect.gen(function*() {
      const live = play("2024-06-01T10:00:00.250Z", "Twice Seen", "Echo", 240_000)
      const extended = exportRow("extended", "2024-06-01T10:00:02Z", "Twice Seen", "Echo", { ms_played: 95_000, skipped: true })
      const account = exportRow("account", "2024-06-01T10:00:00Z", "Twice Seen", "Echo", { ms_played: 95_000 })
      const onlyExported = exportRow("extended", "2024-06-01T09:00:00Z", "Before Capture", "Echo", { ms_played: 12_000, skipped: false })
      const root = yield* handLake({
        plays: [live],
        exports: [extended, account, onlyExported],
        links: [linkToPlay(extended, live), linkToExtended(account, extended)]
      })
      const listens = yield* withModels(
        root,
        rowsOf(`SELECT listen_id, track_name, ms_played, ms_played_estimated, in_api, in_export, export_source, skipped, counted
                FROM listens ORDER BY ended_at`)
      )
      expect(listens).toEqual([
        {
          listen_id: onlyExported.row_id, track_name: "Before Capture", ms_played: 12_000, ms_played_estimated: false,
          in_api: false, in_export: true, export_source: "extended", skipped: false, counted: false
        },
        {
          listen_id: playKey(live), track_name: "Twice Seen", ms_played: 95_000,
          ms_played_estimated: false, in_api: true, in_export: true, export_source: "extended", skipped: true, counted: true
        }
      ])
    }))

  it.scoped("a link to a play the lake does not hold absorbs nothing: the export row stays a listen", () =>
    Effect.gen(function*() {
      const missing = play("2024-06-01T10:00:00Z", "Never Landed", "Echo")
      const row = exportRow("extended", "2024-06-01T10:00:03Z", "Never Landed", "Echo")
      const root = yield* handLake({ exports: [row], links: [linkToPlay(row, missing)] })
      expect(yield* withModels(root, rowsOf("SELECT listen_id, in_api FROM listens"))).toEqual([{ listen_id: row.row_id, in_api: false }])
    }))

  it.scoped("an export row two imports landed in two objects is one row and one listen, from the first file", () =>
    Effect.gen(function*() {
      const row = exportRow("extended", "2024-06-01T10:00:00Z", "Again", "Echo", { source_file: "Streaming_History_Audio_2024_1.json" })
      const other = exportRow("extended", "2024-06-01T12:00:00Z", "Once", "Echo")
      const root = yield* handLake({ exports: [row] })
      writeLake(root, { exports: [{ ...row, source_file: "Streaming_History_Audio_2024.json" }, other] })
      const answers = yield* withModels(
        root,
        Effect.all({
          rows: rowsOf("SELECT row_id, source_file FROM export_rows ORDER BY ended_at"),
          listens: rowsOf("SELECT listen_id FROM listens ORDER BY ended_at")
        })
      )
      expect(answers).toEqual({
        rows: [
          { row_id: row.row_id, source_file: "Streaming_History_Audio_2024.json" },
          { row_id: other.row_id, source_file: "Streaming_History_Audio_2024.json" }
        ],
        listens: [{ listen_id: row.row_id }, { listen_id: other.row_id }]
      })
    }))

  it.scoped("a gap closed by an export: the gap is closed, its listens are in the history, coverage says so", () =>
    Effect.gen(function*() {
      const lost = gap("2024-02-10T08:00:00Z", "2024-02-10T20:00:00Z")
      const root = yield* handLake({
        watchingSince: "2024-02-09T07:00:00Z",
        cursor: "2024-02-11T09:00:00Z",
        plays: [play("2024-02-09T08:00:00Z", "Before", "Live"), play("2024-02-11T09:00:00Z", "After", "Live")],
        exports: [
          exportRow("extended", "2024-02-10T09:00:00Z", "Inside One", "Filled"),
          exportRow("extended", "2024-02-10T12:00:00Z", "Inside Two", "Filled")
        ],
        gaps: [lost, gap("2024-02-11T01:00:00Z", "2024-02-11T02:00:00Z")],
        closures: [{ gap: lost, file: "Streaming_History_Audio_2024.json", listens: 2 }]
      })
      const { coverage, gaps } = yield* withModels(
        root,
        Effect.all({
          gaps: rowsOf("SELECT gap_id, closed, closed_by_file, export_listens FROM gap_status ORDER BY from_ms"),
          coverage: rowsOf(`SELECT local_date::varchar AS day, covered_by, listens, api_listens, export_listens, open_gaps, closed_gaps
                            FROM coverage ORDER BY local_date`)
        })
      )
      expect(gaps).toEqual([
        { gap_id: `${lost.from}-${lost.to}`, closed: true, closed_by_file: "Streaming_History_Audio_2024.json", export_listens: 2 },
        expect.objectContaining({ closed: false })
      ])
      expect(coverage).toEqual([
        { day: "2024-02-09", covered_by: "api", listens: 1, api_listens: 1, export_listens: 0, open_gaps: 0, closed_gaps: 0 },
        { day: "2024-02-10", covered_by: "api+extended", listens: 2, api_listens: 0, export_listens: 2, open_gaps: 0, closed_gaps: 1 },
        { day: "2024-02-11", covered_by: "api", listens: 1, api_listens: 1, export_listens: 0, open_gaps: 1, closed_gaps: 0 }
      ])
    }))

  it.scoped("discoveries are censored without an extended export, and not with one", () =>
    Effect.gen(function*() {
      const plays = [play("2024-01-02T10:00:00Z", "First", "New Band"), play("2024-03-02T10:00:00Z", "Second", "New Band")]
      const liveOnly = yield* handLake({ plays })
      const withExport = yield* handLake({ plays, exports: [exportRow("extended", "2019-05-05T10:00:00Z", "Old Song", "New Band")] })
      const firstOf = (root: string) =>
        withModels(
          root,
          rowsOf("SELECT first_local_date::varchar AS first, first_year, listens, censored FROM discoveries WHERE discovery = 'artist'")
        )
      expect(yield* firstOf(liveOnly)).toEqual([{ first: "2024-01-02", first_year: 2024, listens: 2, censored: true }])
      expect(yield* firstOf(withExport)).toEqual([{ first: "2019-05-05", first_year: 2019, listens: 3, censored: false }])
    }))

  it.scoped("top artists count listens by the counting rule and minutes by what was played, per year and overall", () =>
    Effect.gen(function*() {
      const root = yield* handLake({
        exports: [
          exportRow("extended", "2023-12-31T22:30:00Z", "Long", "Marathon", { ms_played: 600_000 }), // 2023-12-31 23:30 local
          exportRow("extended", "2023-12-31T23:30:00Z", "Skip", "Sprinter", { ms_played: 10_000 }), // 2024 already in Paris
          exportRow("extended", "2024-01-05T10:00:00Z", "Dash", "Sprinter", { ms_played: 40_000 }),
          exportRow("extended", "2024-01-05T11:00:00Z", "Dash Again", "sprinter ", { ms_played: 40_000 }),
          exportRow("extended", "2024-01-06T10:00:00Z", "Dash Once More", " SPRINTER", { ms_played: 40_000 })
        ]
      })
      const top = yield* withModels(
        root,
        rowsOf("SELECT period, artist_name, listens, minutes, rank_by_listens, rank_by_minutes FROM top_artists ORDER BY period, rank_by_listens")
      )
      expect(top).toEqual([
        { period: "2023", artist_name: "Marathon", listens: 1, minutes: 10, rank_by_listens: 1, rank_by_minutes: 1 },
        // One artist whatever the case or the spaces around the name; its latest spelling shows.
        { period: "2024", artist_name: " SPRINTER", listens: 3, minutes: 2.2, rank_by_listens: 1, rank_by_minutes: 1 },
        { period: "all", artist_name: " SPRINTER", listens: 3, minutes: 2.2, rank_by_listens: 1, rank_by_minutes: 2 },
        { period: "all", artist_name: "Marathon", listens: 1, minutes: 10, rank_by_listens: 2, rank_by_minutes: 1 }
      ])
    }))
})
