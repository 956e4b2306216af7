/**
 * The Glue columns of the Parquet models under warehouse/ (names and Athena types), in the
 * order the models write them. test/infra/WarehouseTables.test.ts builds the models and keeps
 * these equal to what DuckDB writes.
 */
export const warehouseTables = {
  coverage: {
    local_date: "date", covered_by: "string", listens: "bigint", api_listens: "bigint", export_listens: "bigint",
    open_gaps: "bigint", closed_gaps: "bigint"
  },
  daily: {
    local_date: "date", local_year: "bigint", local_month: "bigint", local_weekday: "bigint", listens: "bigint",
    all_listens: "bigint", minutes: "double", artists: "bigint", tracks: "bigint", active: "boolean"
  },
  discoveries: {
    discovery_id: "string", discovery: "string", artist_name: "string", track_name: "string",
    first_listen_at: "timestamp", first_local_date: "date", first_year: "bigint", listens: "bigint",
    listens_first_year: "bigint", censored: "boolean"
  },
  export_rows: {
    row_id: "string", source: "string", ended_at: "timestamp", ended_at_ms: "bigint", ended_at_precision: "string",
    ms_played: "bigint", kind: "string", track_uri: "string", track_name: "string", artist_name: "string",
    album_name: "string", episode_uri: "string", episode_name: "string", show_name: "string",
    audiobook_uri: "string", audiobook_title: "string", audiobook_chapter_uri: "string",
    audiobook_chapter_title: "string", reason_start: "string", reason_end: "string", skipped: "boolean",
    shuffle: "boolean", offline: "boolean", offline_at: "timestamp", incognito: "boolean", platform: "string",
    conn_country: "string", source_file: "string"
  },
  gap_status: {
    gap_id: "string", from_at: "timestamp", to_at: "timestamp", from_ms: "bigint", to_ms: "bigint",
    minutes: "double", detected_at: "timestamp", closed: "boolean", closed_at: "timestamp", closed_by_file: "string",
    export_listens: "bigint"
  },
  hour_weekday: {
    period: "string", year: "bigint", weekday: "int", hour: "int", listens: "bigint", minutes: "double"
  },
  links: {
    export_row_id: "string", export_source: "string", target: "string", play_key: "string",
    extended_row_id: "string", method: "string", delta_ms: "bigint", at_ms: "bigint", linked_by: "string"
  },
  listens: {
    listen_id: "string", kind: "string", ended_at: "timestamp", ended_at_ms: "bigint", started_at: "timestamp",
    track_uri: "string", track_name: "string", artist_name: "string", album_name: "string", episode_uri: "string",
    episode_name: "string", show_name: "string", ms_played: "bigint", ms_played_estimated: "boolean",
    duration_ms: "bigint", in_api: "boolean", in_export: "boolean", export_source: "string", skipped: "boolean",
    incognito: "boolean", platform: "string", counted: "boolean", year: "bigint"
  },
  plays: {
    play_key: "string", played_at: "timestamp", played_at_ms: "bigint", track_id: "string", track_uri: "string",
    track_name: "string", duration_ms: "bigint", artist_ids: "array<string>", artist_names: "array<string>",
    artist_name: "string", album_id: "string", album_name: "string", context_type: "string", context_uri: "string",
    is_local: "boolean"
  },
  sessions: {
    session_id: "bigint", started_at: "timestamp", ended_at: "timestamp", local_date: "date", local_year: "bigint",
    local_hour: "bigint", listens: "bigint", counted_listens: "bigint", minutes_listened: "double",
    minutes_long: "double", artists: "bigint"
  },
  streaks: {
    kind: "string", start_date: "date", end_date: "date", days: "bigint", local_year: "bigint",
    rank_by_length: "bigint"
  },
  top_albums: {
    period: "string", year: "bigint", album_name: "string", artist_name: "string", listens: "bigint",
    minutes: "double", rank_by_listens: "bigint", rank_by_minutes: "bigint"
  },
  top_artists: {
    period: "string", year: "bigint", artist_name: "string", listens: "bigint", minutes: "double",
    rank_by_listens: "bigint", rank_by_minutes: "bigint"
  },
  top_shows: {
    period: "string", year: "bigint", show_name: "string", episodes: "bigint", listens: "bigint", minutes: "double",
    rank_by_minutes: "bigint"
  },
  top_tracks: {
    period: "string", year: "bigint", track_name: "string", artist_name: "string", track_uri: "string",
    listens: "bigint", minutes: "double", rank_by_listens: "bigint", rank_by_minutes: "bigint"
  },
  yearly: {
    local_year: "bigint", listens: "bigint", minutes: "double", hours: "double", active_days: "bigint",
    artists: "bigint", tracks: "bigint", new_artists: "bigint", top_artist: "string", top_track: "string",
    busiest_day: "date", busiest_day_minutes: "double", longest_streak_days: "bigint", sessions: "bigint",
    longest_session_minutes: "double"
  }
} as const satisfies Record<string, Record<string, string>>

/** Models written in one folder per year (`year=YYYY/`), which Athena reads as a partition. */
export const partitionedByYear: ReadonlyArray<keyof typeof warehouseTables> = ["listens"]
