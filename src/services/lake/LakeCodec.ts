import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { describeParseError } from "../../domain/ParseIssues.js"
import { StorageError } from "../storage/ObjectStorage.js"

/** Decodes a stored JSON object, turning a bad one into a clear `Invalid` storage error. */
export const decodeStored = <A, I>(schema: Schema.Schema<A, I>, key: string, body: string) =>
  Schema.decodeUnknown(Schema.parseJson(schema))(body).pipe(
    Effect.mapError((error) =>
      new StorageError({
        reason: "Invalid",
        key,
        message: `${key} is not readable: ${describeParseError(error)}`,
        cause: error
      })
    )
  )

export const encodeJson = <A, I>(schema: Schema.Schema<A, I>, value: A): string =>
  JSON.stringify(Schema.encodeSync(schema)(value))
