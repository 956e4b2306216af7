import * as Schema from "effect/Schema"

const Num = Schema.Number
const Str = Schema.String
const NullableStr = Schema.NullOr(Schema.String)
const NullableNum = Schema.NullOr(Schema.Number)

export const Review = Schema.Struct({
  local_year: Num,
  listens: Num,
  minutes: Num,
  hours: Num,
  active_days: Num,
  artists: Num,
  tracks: Num,
  new_artists: Num,
  top_artist: NullableStr,
  top_track: NullableStr,
  busiest_day: NullableStr,
  busiest_day_minutes: NullableNum,
  longest_streak_days: Num,
  sessions: Num,
  longest_session_minutes: Num
})
export type Review = typeof Review.Type

export const Source = Schema.Struct({ source: Str, first_day: NullableStr, last_day: NullableStr, rows: Num })
export type Source = typeof Source.Type

export const GapRow = Schema.Struct({
  from_at: Str,
  to_at: Str,
  minutes: Num,
  closed: Schema.Boolean,
  closed_by_file: NullableStr,
  export_listens: NullableNum
})
export type GapRow = typeof GapRow.Type

export const Totals = Schema.Struct({
  listens: Num,
  hours: Num,
  first_day: NullableStr,
  last_day: NullableStr,
  artists: Num,
  censored: Schema.Boolean
})
export type Totals = typeof Totals.Type

export const CoverageBar = Schema.Struct({ period: Str, origin: Str, listens: Num })
export type CoverageBar = typeof CoverageBar.Type

export const Ranked = Schema.Struct({ name: Str, detail: NullableStr, listens: Num, minutes: Num })
export type Ranked = typeof Ranked.Type

export const HeatCell = Schema.Struct({ weekday: Num, hour: Num, listens: Num, minutes: Num })
export type HeatCell = typeof HeatCell.Type

export const Day = Schema.Struct({ local_date: Str, listens: Num, minutes: Num })
export type Day = typeof Day.Type

export const Run = Schema.Struct({ kind: Str, start_date: Str, end_date: Str, days: Num })
export type Run = typeof Run.Type

export const SessionBucket = Schema.Struct({ bucket: Str, sort: Num, sessions: Num })
export type SessionBucket = typeof SessionBucket.Type

export const SessionStats = Schema.Struct({
  sessions: Num,
  median_minutes: NullableNum,
  longest_minutes: NullableNum,
  longest_date: NullableStr,
  longest_listens: NullableNum
})
export type SessionStats = typeof SessionStats.Type

export const MonthCount = Schema.Struct({ month: Num, count: Num })
export type MonthCount = typeof MonthCount.Type

export const Discovery = Schema.Struct({ track_name: Str, artist_name: Str, first_local_date: Str, listens_first_year: Num })
export type Discovery = typeof Discovery.Type

export interface ReportData {
  readonly year: number | null
  readonly years: ReadonlyArray<number>
  readonly timeZone: string
  readonly sessionGapMinutes: number
  readonly generatedAt: string
  readonly totals: Totals
  readonly review: Review | null
  readonly sources: ReadonlyArray<Source>
  readonly gaps: ReadonlyArray<GapRow>
  readonly coverage: ReadonlyArray<CoverageBar>
  readonly coverageBy: "day" | "month"
  readonly topArtists: { readonly byListens: ReadonlyArray<Ranked>; readonly byMinutes: ReadonlyArray<Ranked> }
  readonly topTracks: { readonly byListens: ReadonlyArray<Ranked>; readonly byMinutes: ReadonlyArray<Ranked> }
  readonly topAlbums: { readonly byListens: ReadonlyArray<Ranked>; readonly byMinutes: ReadonlyArray<Ranked> }
  readonly heatmap: ReadonlyArray<HeatCell>
  readonly days: ReadonlyArray<Day>
  readonly streaks: ReadonlyArray<Run>
  readonly dryStreaks: ReadonlyArray<Run>
  readonly sessionBuckets: ReadonlyArray<SessionBucket>
  readonly sessionStats: SessionStats
  readonly newArtistsByMonth: ReadonlyArray<MonthCount>
  readonly discoveries: ReadonlyArray<Discovery>
  readonly shows: ReadonlyArray<Ranked>
}
