import { quote } from "../domain/analytics/SqlText.js"

/** The report's questions to the models, for one local year. */

export const yearsSql = "SELECT local_year AS year FROM yearly ORDER BY local_year"

export const totalsSql = `
  SELECT
    count(*) FILTER (WHERE counted) AS listens,
    round(coalesce(sum(ms_played), 0) / 3600000, 1) AS hours,
    min(local_date)::varchar AS first_day,
    max(local_date)::varchar AS last_day,
    count(DISTINCT artist_key) AS artists,
    (SELECT count(*) = 0 FROM export_rows WHERE source = 'extended') AS censored,
    coalesce(max(local_date) - min(local_date), 0) AS span_days
  FROM int_local_listens`

export const reviewSql = (year: number) => `
  SELECT * REPLACE (busiest_day::varchar AS busiest_day) FROM yearly WHERE local_year = ${year}`


/** Days in `timeZone`, the report's, as the models count them: never the engine's session zone. */
export const sourcesSql = (timeZone: string) => `
  SELECT 'Live capture (API)' AS source, min(local_date)::varchar AS first_day, max(local_date)::varchar AS last_day,
         count(*) AS rows
  FROM int_local_listens WHERE in_api
  UNION ALL
  SELECT CASE source WHEN 'extended' THEN 'Extended streaming history' ELSE 'Account data export' END,
         (min(ended_at) AT TIME ZONE ${quote(timeZone)})::date::varchar, (max(ended_at) AT TIME ZONE ${quote(timeZone)})::date::varchar, count(*)
  FROM export_rows GROUP BY source
  ORDER BY source DESC`

export const gapsSql = `
  SELECT strftime(from_at, '%Y-%m-%d %H:%M UTC') AS from_at, strftime(to_at, '%Y-%m-%d %H:%M UTC') AS to_at,
         minutes, closed, closed_by_file, export_listens
  FROM gap_status ORDER BY from_ms`

export const coverageSql = (by: "day" | "month") => `
  SELECT strftime(${by === "day" ? "local_date" : "date_trunc('month', local_date)"}, '${by === "day" ? "%Y-%m-%d" : "%Y-%m"}') AS period,
         CASE WHEN in_api AND in_export THEN 'both' WHEN in_api THEN 'live' ELSE 'export' END AS origin,
         count(*) AS listens
  FROM int_local_listens WHERE counted
  GROUP BY ALL ORDER BY period`

const ranked = (model: string, name: string, detail: string, year: number, order: "listens" | "minutes") => `
  SELECT ${name} AS name, ${detail} AS detail, listens, minutes FROM ${model}
  WHERE period = '${year}' AND rank_by_${order} <= 10 AND ${order} > 0
  ORDER BY rank_by_${order}, name LIMIT 10`

export const topSql = (year: number) => ({
  artistsByListens: ranked("top_artists", "artist_name", "NULL", year, "listens"),
  artistsByMinutes: ranked("top_artists", "artist_name", "NULL", year, "minutes"),
  tracksByListens: ranked("top_tracks", "track_name", "artist_name", year, "listens"),
  tracksByMinutes: ranked("top_tracks", "track_name", "artist_name", year, "minutes"),
  albumsByListens: ranked("top_albums", "album_name", "artist_name", year, "listens"),
  albumsByMinutes: ranked("top_albums", "album_name", "artist_name", year, "minutes"),
  shows: ranked("top_shows", "show_name", "episodes || ' episodes'", year, "minutes")
})

export const heatmapSql = (year: number) =>
  `SELECT weekday, hour, listens, minutes FROM hour_weekday WHERE period = '${year}' ORDER BY weekday, hour`

export const daysSql = (year: number) =>
  `SELECT local_date::varchar AS local_date, listens, minutes FROM daily WHERE local_year = ${year} ORDER BY local_date`

export const runsSql = (year: number, kind: "streak" | "dry_spell") => `
  SELECT kind, start_date::varchar AS start_date, end_date::varchar AS end_date, days FROM streaks
  WHERE kind = '${kind}' AND local_year = ${year} ORDER BY days DESC, start_date LIMIT 3`

export const sessionBucketsSql = (year: number) => `
  WITH buckets(bucket, sort, low, high) AS (VALUES
    ('under 15 min', 1, 0, 15), ('15-30 min', 2, 15, 30), ('30-60 min', 3, 30, 60),
    ('1-2 h', 4, 60, 120), ('2-4 h', 5, 120, 240), ('4 h or more', 6, 240, 1e9))
  SELECT bucket, sort, count(sessions.session_id) AS sessions
  FROM buckets LEFT JOIN sessions
    ON sessions.local_year = ${year} AND sessions.minutes_long >= low AND sessions.minutes_long < high
  GROUP BY bucket, sort ORDER BY sort`

export const sessionStatsSql = (year: number) => `
  SELECT count(*) AS sessions, round(median(minutes_long), 1)::double AS median_minutes,
         max(minutes_long) AS longest_minutes, arg_max(local_date, minutes_long)::varchar AS longest_date,
         arg_max(listens, minutes_long) AS longest_listens
  FROM sessions WHERE local_year = ${year}`

export const newArtistsSql = (year: number) => `
  SELECT month(first_local_date) AS month, count(*) AS count FROM discoveries
  WHERE discovery = 'artist' AND first_year = ${year} GROUP BY ALL ORDER BY month`

export const discoveriesSql = (year: number) => `
  SELECT track_name, artist_name, first_local_date::varchar AS first_local_date, listens_first_year FROM discoveries
  WHERE discovery = 'track' AND first_year = ${year} AND listens_first_year > 3
  ORDER BY listens_first_year DESC, first_local_date LIMIT 10`
