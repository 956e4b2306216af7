import * as Schema from "effect/Schema"

/** The two privacy-export packages Spotify sends: each keeps its own dataset in the lake. */
export const ExportSource = Schema.Literal("extended", "account")
export type ExportSource = typeof ExportSource.Type

/** Every listening-history file layout Spotify has shipped, told apart by file name. */
export const ExportFormat = Schema.Literal(
  "extended-audio",
  "extended-video",
  "endsong",
  "endvideo",
  "account-music",
  "account-podcast",
  "account-mixed"
)
export type ExportFormat = typeof ExportFormat.Type

const byName: ReadonlyArray<readonly [RegExp, ExportFormat]> = [
  [/^Streaming_History_Audio_\d{4}(?:-\d{4})?(?:_\d+)?\.json$/i, "extended-audio"],
  [/^Streaming_History_Video_\d{4}(?:-\d{4})?(?:_\d+)?\.json$/i, "extended-video"],
  [/^endsong(?:_\d+)?\.json$/i, "endsong"],
  [/^endvideo(?:_\d+)?\.json$/i, "endvideo"],
  [/^StreamingHistory_music_\d+\.json$/i, "account-music"],
  [/^StreamingHistory_podcast_\d+\.json$/i, "account-podcast"],
  [/^StreamingHistory\d+\.json$/i, "account-mixed"]
]

/** The base name of a path inside a zip or a folder ("/" or "\" separated). */
export const baseName = (path: string): string => path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1)

/** The format a file's name claims; undefined for anything that is not a listening history. */
export const formatOfName = (path: string): ExportFormat | undefined => {
  const name = baseName(path)
  return byName.find(([pattern]) => pattern.test(name))?.[1]
}

export const sourceOf = (format: ExportFormat): ExportSource => format.startsWith("account-") ? "account" : "extended"

export const isVideoFormat = (format: ExportFormat): boolean => format === "extended-video" || format === "endvideo"

/** The key every record of a family carries: what the shape check looks for. */
export const timeKeyOf = (source: ExportSource): string => source === "extended" ? "ts" : "endTime"

/** Extended files first, so account rows of the same import meet the extended rows that outrank them. */
export const importOrder = (a: { readonly format: ExportFormat; readonly name: string }, b: typeof a): number => {
  const rank = (format: ExportFormat) => ExportFormat.literals.indexOf(format)
  return rank(a.format) - rank(b.format) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
}
