import * as Clock from "effect/Clock"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { describeParseError } from "../domain/ParseIssues.js"
import * as ReportData from "../report/ReportData.js"
import { reportPage } from "../report/ReportPage.js"
import { SqlEngine } from "../services/analytics/SqlEngine.js"
import { type BuildOptions, buildModels, defaultVars } from "./BuildModels.js"
import { againIfWarehouseReplaced } from "./ReplacedWarehouse.js"
import * as Q from "./ReportQueries.js"
import { isoOf } from "../domain/Instant.js"

/** The models answered something the report cannot read (`Data`), or a chart could not be drawn (`Render`). */
export class ReportError extends Data.TaggedError("ReportError")<{
  readonly reason: "Data" | "Render" | "NoSuchYear"
  readonly message: string
  readonly cause?: unknown
}> {}

export interface ReportOptions extends Omit<BuildOptions, "testAlways"> {
  /** The year in review; the latest year with a listen when absent. */
  readonly year: number | undefined
}

const rows = <A, I>(schema: Schema.Schema<A, I>, sql: string) =>
  Effect.flatMap(SqlEngine, (engine) => engine.query(sql)).pipe(
    Effect.flatMap((result) => Schema.decodeUnknown(Schema.Array(schema))(result.rows)),
    Effect.mapError((error) =>
      error._tag === "ParseError"
        ? new ReportError({ reason: "Data", message: `the report could not read the models' answer: ${describeParseError(error)}`, cause: error })
        : error
    )
  )

const one = <A, I>(schema: Schema.Schema<A, I>, sql: string) =>
  Effect.flatMap(rows(schema, sql), (found) =>
    found[0] === undefined ? Effect.dieMessage(`no row from ${sql}`) : Effect.succeed(found[0]))

const Year = Schema.Struct({ year: Schema.Number })
// The span decides how coverage is drawn; it comes with the totals, so the listens are read once for both.
const TotalsAndSpan = Schema.extend(ReportData.Totals, Schema.Struct({ span_days: Schema.Number }))

const ranked = (byListens: string, byMinutes: string) =>
  Effect.all({ byListens: rows(ReportData.Ranked, byListens), byMinutes: rows(ReportData.Ranked, byMinutes) })

const yearData = (year: number) =>
  Effect.gen(function*() {
    const top = Q.topSql(year)
    return yield* Effect.all({
      review: rows(ReportData.Review, Q.reviewSql(year)).pipe(Effect.map((found) => found[0] ?? null)),
      topArtists: ranked(top.artistsByListens, top.artistsByMinutes),
      topTracks: ranked(top.tracksByListens, top.tracksByMinutes),
      topAlbums: ranked(top.albumsByListens, top.albumsByMinutes),
      shows: rows(ReportData.Ranked, top.shows),
      heatmap: rows(ReportData.HeatCell, Q.heatmapSql(year)),
      days: rows(ReportData.Day, Q.daysSql(year)),
      streaks: rows(ReportData.Run, Q.runsSql(year, "streak")),
      dryStreaks: rows(ReportData.Run, Q.runsSql(year, "dry_spell")),
      sessionBuckets: rows(ReportData.SessionBucket, Q.sessionBucketsSql(year)),
      sessionStats: one(ReportData.SessionStats, Q.sessionStatsSql(year)),
      newArtistsByMonth: rows(ReportData.MonthCount, Q.newArtistsSql(year)),
      discoveries: rows(ReportData.Discovery, Q.discoveriesSql(year))
    })
  })

const emptyYear = {
  review: null,
  topArtists: { byListens: [], byMinutes: [] },
  topTracks: { byListens: [], byMinutes: [] },
  topAlbums: { byListens: [], byMinutes: [] },
  shows: [],
  heatmap: [],
  days: [],
  streaks: [],
  dryStreaks: [],
  sessionBuckets: [],
  sessionStats: { sessions: 0, median_minutes: null, longest_minutes: null, longest_date: null, longest_listens: null },
  newArtistsByMonth: [],
  discoveries: []
} as const

/** Brings the models up to date, asks them the report's questions, and renders one self-contained HTML page. */
export const buildReport = (options: ReportOptions) =>
  Effect.gen(function*() {
    yield* buildModels({ ...options, testAlways: false })
    yield* options.progress("drawing the report")
    const years = (yield* rows(Year, Q.yearsSql)).map((row) => row.year)
    const year = options.year ?? years[years.length - 1] ?? null
    if (options.year !== undefined && !years.includes(options.year)) {
      return yield* new ReportError({
        reason: "NoSuchYear",
        message: `the history has no listen in ${options.year}${years.length === 0 ? "" : ` (it has ${years.join(", ")})`}`
      })
    }
    const { span_days, ...totals } = yield* one(TotalsAndSpan, Q.totalsSql)
    const coverageBy = span_days <= 120 ? "day" : "month"
    const timeZone = String(options.vars.tz ?? "UTC")
    const data: ReportData.ReportData = {
      year,
      years,
      timeZone,
      sessionGapMinutes: Number(options.vars.session_gap_minutes ?? defaultVars.session_gap_minutes),
      generatedAt: isoOf(yield* Clock.currentTimeMillis).slice(0, 16).replace("T", " ") + " UTC",
      totals,
      sources: yield* rows(ReportData.Source, Q.sourcesSql(timeZone)),
      gaps: yield* rows(ReportData.GapRow, Q.gapsSql),
      coverage: yield* rows(ReportData.CoverageBar, Q.coverageSql(coverageBy)),
      coverageBy,
      ...(year === null ? emptyYear : yield* yearData(year))
    }
    return yield* Effect.tryPromise({
      try: () => reportPage(data),
      catch: (cause) => new ReportError({ reason: "Render", message: `a chart could not be drawn: ${String(cause)}`, cause })
    })
  }).pipe(againIfWarehouseReplaced, Effect.withSpan("BuildReport"))
