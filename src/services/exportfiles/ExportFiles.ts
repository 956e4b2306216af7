import * as Context from "effect/Context"
import * as Data from "effect/Data"
import type * as Effect from "effect/Effect"

/**
 * Why the export's files could not be read:
 * - `NotFound`: a path given does not exist;
 * - `CorruptZip`: not a zip, a truncated one, or an entry that does not inflate to what it declares;
 * - `TooLarge` / `TooManyEntries`: past the limits that keep a zip bomb out;
 * - `Unreadable`: any other failure to read.
 */
export class ExportFilesError extends Data.TaggedError("ExportFilesError")<{
  readonly reason: "NotFound" | "CorruptZip" | "TooLarge" | "TooManyEntries" | "Unreadable"
  readonly path: string
  readonly message: string
  readonly cause?: unknown
}> {}

/** One file of an export: inside a zip, or on disk (in a folder or given on its own). */
export interface ExportFile {
  /** Its path inside the zip or the folder, or the path given. */
  readonly name: string
  /** Its size as the zip or the file system declares it. */
  readonly bytes: number
  readonly location:
    | { readonly _tag: "ZipEntry"; readonly zip: string; readonly entry: string }
    | { readonly _tag: "File"; readonly path: string }
}

export interface ExportContent {
  readonly bytes: Uint8Array
  readonly sha256: string
}

export interface ExportLimits {
  readonly maxEntries: number
  readonly maxFileBytes: number
  readonly maxTotalBytes: number
}

/** Far beyond any real export (one file is about 13 MB, a lifetime about 40 files), far below a bomb. */
export const defaultLimits: ExportLimits = {
  maxEntries: 10_000,
  maxFileBytes: 256 * 1024 * 1024,
  maxTotalBytes: 8 * 1024 * 1024 * 1024
}

export interface ExportFilesShape {
  /** Every file in the zips, folders and files given, without reading their contents. */
  readonly list: (paths: ReadonlyArray<string>) => Effect.Effect<ReadonlyArray<ExportFile>, ExportFilesError>
  /** One file's bytes (inflated when zipped) and their sha256. */
  readonly read: (file: ExportFile) => Effect.Effect<ExportContent, ExportFilesError>
}

/** The files of Spotify's privacy exports, as the user has them. Adapter: LocalExportFiles. */
export class ExportFiles extends Context.Tag("spotify-pipeline/ExportFiles")<ExportFiles, ExportFilesShape>() {}
