import type { PlatformError } from "@effect/platform/Error"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import { parse } from "yaml"
import { makeProject, type ModelFile, type ModelProject, SchemaFile } from "../../domain/analytics/ModelProject.js"
import { describeParseError } from "../../domain/ParseIssues.js"

/** The models' folder could not be read (`Unreadable`) or holds something the runner refuses (`Invalid`). */
export class ProjectError extends Data.TaggedError("ProjectError")<{
  readonly reason: "Unreadable" | "Invalid"
  readonly message: string
  readonly cause?: unknown
}> {}

export interface AnalyticsProjectShape {
  readonly load: Effect.Effect<ModelProject, ProjectError>
}

const invalid = (message: string, cause?: unknown) => new ProjectError({ reason: "Invalid", message, cause })

const make = (dir: string) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path

    const filesUnder = (folder: string, suffix: string) =>
      fs.readDirectory(path.join(dir, folder), { recursive: true }).pipe(
        Effect.catchIf((error) => error._tag === "SystemError" && error.reason === "NotFound", () => Effect.succeed([])),
        Effect.map((names) => names.filter((name) => name.endsWith(suffix)).sort()),
        Effect.flatMap(Effect.forEach((name) =>
          fs.readFileString(path.join(dir, folder, name)).pipe(
            Effect.map((sql): ModelFile => ({ path: `${folder}/${name.split(path.sep).join("/")}`, sql }))
          )
        ))
      )

    const decodeSchema = (file: ModelFile) =>
      Effect.try({ try: (): unknown => parse(file.sql), catch: (cause) => invalid(`${file.path} is not YAML`, cause) }).pipe(
        Effect.flatMap(Schema.decodeUnknown(SchemaFile)),
        Effect.mapError((error) =>
          error._tag === "ParseError" ? invalid(`${file.path}: ${describeParseError(error)}`, error) : error
        )
      )

    const load = Effect.gen(function*() {
      const read = <A>(effect: Effect.Effect<A, PlatformError>) =>
        Effect.mapError(effect, (cause) =>
          new ProjectError({ reason: "Unreadable", message: `Could not read the models in ${dir}: ${cause.message}`, cause }))
      const models = yield* read(filesUnder("models", ".sql"))
      if (models.length === 0) return yield* invalid(`${dir}/models holds no .sql model`)
      const schemas = yield* Effect.forEach(yield* read(filesUnder("models", ".yml")), decodeSchema)
      const tests = yield* read(filesUnder("tests", ".sql"))
      return yield* Effect.try({
        try: () => makeProject(models, tests, schemas),
        catch: (cause) => invalid(cause instanceof Error ? cause.message : String(cause), cause)
      })
    }).pipe(Effect.withSpan("AnalyticsProject.load"))

    return { load } satisfies AnalyticsProjectShape
  })

/** The SQL models (`models/**.sql`, `models/**.yml`) and singular tests (`tests/*.sql`) in a folder. */
export class AnalyticsProject extends Context.Tag("spotify-pipeline/AnalyticsProject")<AnalyticsProject, AnalyticsProjectShape>() {
  static readonly layer = (dir: string): Layer.Layer<AnalyticsProject, never, FileSystem.FileSystem | Path.Path> =>
    Layer.effect(AnalyticsProject, make(dir))
}
