import * as Context from "effect/Context"
import * as Data from "effect/Data"
import type * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import type { WarehouseFile } from "../../domain/analytics/WarehouseManifest.js"

/**
 * Why the lake's files could not be used:
 * - `Unavailable`: the store or a local folder could not be read or written (worth retrying);
 * - `AccessDenied`: credentials or permissions refused;
 * - `Invalid`: a bad key, or an object that is not what its name says.
 */
export class LakeFilesError extends Data.TaggedError("LakeFilesError")<{
  readonly reason: "Unavailable" | "AccessDenied" | "Invalid"
  readonly key: string
  readonly message: string
  readonly cause?: unknown
}> {}

export interface LakeFilesShape {
  /** Every key under `prefix`, sorted. */
  readonly list: (prefix: string) => Effect.Effect<ReadonlyArray<string>, LakeFilesError>
  /**
   * A local folder in which each of `keys` is a file at its key's path, for the SQL engine to
   * read: the lake itself when it is a folder, else a cache that fetches only keys it lacks
   * (every object named in the lake is immutable). Returns the folder and how many were fetched.
   */
  readonly localise: (
    keys: ReadonlyArray<string>
  ) => Effect.Effect<{ readonly root: string; readonly fetched: number }, LakeFilesError>
  readonly readText: (key: string) => Effect.Effect<Option.Option<string>, LakeFilesError>
  /**
   * Objects that may be written in place (the lake's state): each read afresh, the copy the SQL
   * engine reads brought up to date (on a folder lake, the object itself), and its text returned.
   * A key gone since it was listed is left out.
   */
  readonly readFresh: (keys: ReadonlyArray<string>) => Effect.Effect<ReadonlyMap<string, string>, LakeFilesError>
  /** Replaces the object at `key` (the warehouse's manifest: rebuilt, never a source of truth). */
  readonly writeText: (key: string, body: string) => Effect.Effect<void, LakeFilesError>
  /** A fresh local folder for files about to be published, removed with the scope. */
  readonly scratch: Effect.Effect<string, LakeFilesError, Scope.Scope>
  /**
   * Moves every file under the local `folder` into the lake under `prefix`, each named by its
   * content (`<prefix><relative dir>/<name>-<first 16 hex of sha256><ext>`), so a cached copy
   * never goes stale. Each object appears whole or not at all.
   */
  readonly publishFolder: (folder: string, prefix: string) => Effect.Effect<ReadonlyArray<WarehouseFile>, LakeFilesError>
  readonly remove: (key: string) => Effect.Effect<void, LakeFilesError>
}

/** The lake as files, for the analytics engine. Adapters: FolderLakeFiles, S3LakeFiles. */
export class LakeFiles extends Context.Tag("spotify-pipeline/LakeFiles")<LakeFiles, LakeFilesShape>() {}
