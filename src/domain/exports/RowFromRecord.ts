import * as Either from "effect/Either"
import { type ExportFormat, isVideoFormat } from "./ExportFormat.js"
import type { AccountRecord, ExtendedRecord } from "./ExportRecords.js"
import { type ExportKind, type ExportRow, identityText, rowIdOf } from "./ExportRow.js"
import { isoOf, latestPlausibleMs, parseIso } from "../Instant.js"

const accountMinute = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})$/

// Anything before Spotify existed, or after the stream it belongs to, is one of the bogus values seen.
// (Its beta ran before the 2008 launch: an export may reach back further than a live play can.)
const spotifyLaunchMs = Date.UTC(2006, 0, 1)
const day = 86_400_000

// JSON.stringify writes an overflowing number (1e400 parses as Infinity) as null, which it was not.
const shown = (value: unknown) => typeof value === "number" && !Number.isFinite(value) ? String(value) : JSON.stringify(value)

/**
 * A stream's end read strictly: a real calendar moment (never February 30 or 24:00, which
 * Date.parse would roll into the next day), from Spotify's beta to 2099; as epoch ms, or why not.
 * Before 1970 an instant is negative, which no object name of the lake can hold.
 */
const streamEnd = (field: string, text: string, iso: string, expected: string): number | string => {
  const parsed = parseIso(iso)
  if (!("ms" in parsed)) return `${field} is ${shown(text)} (expected ${expected})`
  return parsed.ms >= spotifyLaunchMs && parsed.ms < latestPlausibleMs
    ? parsed.ms
    : `${field} is ${shown(text)}, outside 2006 to 2099 (no real stream)`
}

/** ts as epoch ms and as the lake writes it, always with milliseconds; or why it is not a time. */
const endedAt = (ts: string | null | undefined): readonly [number, string] | string => {
  if (ts === undefined || ts === null) return "ts is missing"
  const ms = streamEnd("ts", ts, ts, "an ISO-8601 UTC time")
  if (typeof ms === "string") return ms
  return [ms, ts.length === 20 ? `${ts.slice(0, 19)}.000Z` : isoOf(ms)]
}

const minuteEnded = (endTime: string | null | undefined): number | string => {
  if (endTime === undefined || endTime === null) return "endTime is missing"
  const match = accountMinute.exec(endTime)
  const expected = "\"YYYY-MM-DD HH:MM\", UTC"
  return match === null ? `endTime is ${shown(endTime)} (expected ${expected})` : streamEnd("endTime", endTime, `${match[1]}T${match[2]}:00Z`, expected)
}

const msPlayed = (field: string, value: number | null | undefined): number | null | string =>
  value === undefined || value === null
    ? null
    : Number.isSafeInteger(value) && value >= 0
    ? value
    : `${field} is ${shown(value)} (expected a whole number of milliseconds)`

/** `offline_timestamp` came in seconds some years, milliseconds others, 0 when absent, sometimes junk. */
export const offlineAt = (value: number | null | undefined, endedAtMs: number): string | null => {
  if (value === undefined || value === null || !Number.isFinite(value) || value <= 0) return null
  const ms = Math.round(value < 1e11 ? value * 1000 : value)
  return ms >= spotifyLaunchMs && ms <= endedAtMs + day ? isoOf(ms) : null
}

const extendedKind = (record: ExtendedRecord, format: ExportFormat): ExportKind => {
  if (isVideoFormat(format)) return "video"
  if (record.spotify_track_uri != null || record.master_metadata_track_name != null) return "track"
  if (record.spotify_episode_uri != null || record.episode_name != null) return "episode"
  if (record.audiobook_uri != null || record.audiobook_chapter_uri != null || record.audiobook_title != null) return "audiobook"
  return "unknown"
}

/** An extended-history record as a lake row, or why it cannot be one. */
export const extendedRow = (record: ExtendedRecord, format: ExportFormat, sourceFile: string): Either.Either<ExportRow, string> => {
  const ended = endedAt(record.ts)
  if (typeof ended === "string") return Either.left(ended)
  const played = msPlayed("ms_played", record.ms_played)
  if (typeof played === "string") return Either.left(played)
  const [ms, endedIso] = ended
  const identity = {
    source: "extended",
    ended_at_ms: ms,
    ms_played: played,
    track_uri: record.spotify_track_uri ?? null,
    episode_uri: record.spotify_episode_uri ?? null,
    audiobook_chapter_uri: record.audiobook_chapter_uri ?? null,
    audiobook_uri: record.audiobook_uri ?? null,
    artist_name: record.master_metadata_album_artist_name ?? null,
    show_name: record.episode_show_name ?? null,
    track_name: record.master_metadata_track_name ?? null,
    episode_name: record.episode_name ?? null
  } as const
  return Either.right({
    row_id: rowIdOf(identityText(identity)),
    source: "extended",
    ended_at: endedIso,
    ended_at_ms: ms,
    ended_at_precision: "s",
    ms_played: played,
    kind: extendedKind(record, format),
    track_uri: identity.track_uri,
    track_name: identity.track_name,
    artist_name: identity.artist_name,
    album_name: record.master_metadata_album_album_name ?? null,
    episode_uri: identity.episode_uri,
    episode_name: identity.episode_name,
    show_name: identity.show_name,
    audiobook_uri: identity.audiobook_uri,
    audiobook_title: record.audiobook_title ?? null,
    audiobook_chapter_uri: identity.audiobook_chapter_uri,
    audiobook_chapter_title: record.audiobook_chapter_title ?? null,
    reason_start: record.reason_start ?? null,
    reason_end: record.reason_end ?? null,
    skipped: record.skipped ?? null,
    shuffle: record.shuffle ?? null,
    offline: record.offline ?? null,
    offline_at: offlineAt(record.offline_timestamp, ms),
    incognito: record.incognito_mode ?? null,
    platform: record.platform ?? null,
    conn_country: record.conn_country ?? null,
    source_file: sourceFile
  })
}

/**
 * An account-data record as a lake row. Podcast files name the show and episode; the older mixed
 * `StreamingHistoryN.json` cannot tell a podcast from a song, so its rows are tracks by name.
 */
export const accountRow = (record: AccountRecord, format: ExportFormat, sourceFile: string): Either.Either<ExportRow, string> => {
  const ms = minuteEnded(record.endTime)
  if (typeof ms === "string") return Either.left(ms)
  const played = msPlayed("msPlayed", record.msPlayed)
  if (typeof played === "string") return Either.left(played)
  const podcast = format === "account-podcast"
  const identity = {
    source: "account",
    ended_at_ms: ms,
    ms_played: played,
    track_uri: null,
    episode_uri: null,
    audiobook_chapter_uri: null,
    audiobook_uri: null,
    artist_name: podcast ? null : record.artistName ?? null,
    show_name: podcast ? record.podcastName ?? record.artistName ?? null : null,
    track_name: podcast ? null : record.trackName ?? null,
    episode_name: podcast ? record.episodeName ?? record.trackName ?? null : null
  } as const
  return Either.right({
    row_id: rowIdOf(identityText(identity)),
    source: "account",
    ended_at: isoOf(ms),
    ended_at_ms: ms,
    ended_at_precision: "min",
    ms_played: played,
    kind: podcast ? "episode" : record.trackName != null || record.artistName != null ? "track" : "unknown",
    track_uri: null,
    track_name: identity.track_name,
    artist_name: identity.artist_name,
    album_name: null,
    episode_uri: null,
    episode_name: identity.episode_name,
    show_name: identity.show_name,
    audiobook_uri: null,
    audiobook_title: null,
    audiobook_chapter_uri: null,
    audiobook_chapter_title: null,
    reason_start: null,
    reason_end: null,
    skipped: null,
    shuffle: null,
    offline: null,
    offline_at: null,
    incognito: null,
    platform: null,
    conn_country: null,
    source_file: sourceFile
  })
}
