/** The Glue columns of a play line (`src/domain/Play.ts`); a test keeps them equal to its fields. */
export const playsTableColumns = [
  { name: "played_at", type: "string", comment: "ISO-8601 UTC with milliseconds: from_iso8601_timestamp(played_at)" },
  { name: "played_at_ms", type: "bigint" },
  { name: "track_id", type: "string", comment: "null for local files" },
  { name: "track_uri", type: "string" },
  { name: "track_name", type: "string" },
  { name: "duration_ms", type: "bigint" },
  { name: "artist_ids", type: "array<string>" },
  { name: "artist_names", type: "array<string>" },
  { name: "album_id", type: "string" },
  { name: "album_name", type: "string" },
  { name: "context_type", type: "string" },
  { name: "context_uri", type: "string" },
  { name: "is_local", type: "boolean" },
  { name: "source", type: "string" }
] as const
