import * as Data from "effect/Data"
import type { Model } from "../domain/analytics/ModelProject.js"
import type { SqlError } from "../services/analytics/SqlEngine.js"
import type { DamagedLinesUnreadable } from "./DamagedData.js"

/**
 * Why a build stopped: the lake holds data the models cannot read (`BadInput`), a model's SQL
 * failed (`ModelFailed`), a test found rows (`TestFailed`), or a setting the models need is missing.
 */
export class BuildError extends Data.TaggedError("BuildError")<{
  readonly reason: "BadInput" | "ModelFailed" | "TestFailed" | "MissingVar"
  readonly message: string
  readonly cause?: SqlError
  /** The data object of the lake the engine could not read, when it named one. */
  readonly lakeObject?: string | undefined
}> {}

const withoutFullStop = (message: string) => message.replace(/\.\s*$/, "")

/**
 * DuckDB's words on an object of the lake it cannot read, with what a person can do about it: a
 * damaged line the lake's own schema takes (a time that is none), or damage past what a build leaves out.
 */
const lakeUnreadable = (message: string) =>
  /in file "/i.test(message)
    ? `${withoutFullStop(message)}; that object is damaged: repair or remove the line it names (docs/lake.md says what lands again)`
    : message

/** Which data object of the lake an engine error names: `lakeObject` of the BuildError. */
export type ObjectOf = (cause: SqlError) => string | undefined

export const modelFailed = (model: Model, objectOf: ObjectOf) => (cause: SqlError) =>
  cause.reason === "InvalidData"
    ? new BuildError({
      reason: "BadInput",
      message: `model ${model.name} cannot read the lake: ${lakeUnreadable(cause.message)}`,
      cause,
      lakeObject: objectOf(cause)
    })
    : new BuildError({ reason: "ModelFailed", message: `model ${model.name} (${model.path}) failed: ${cause.message}`, cause })

/** A damaged object whose readable lines the engine still cannot read: the build stops, naming it. */
export const linesUnreadable = (error: DamagedLinesUnreadable) =>
  new BuildError({
    reason: "BadInput",
    message: `${error.key} cannot be read even line by line: ${withoutFullStop(error.cause.message)}; repair or remove the lines it names`,
    cause: error.cause,
    lakeObject: error.key
  })
