import { Effect, ParseResult, Schema } from "effect"
import { StorageError } from "./StorageError.js"

/** Decodes a stored JSON object, turning a bad one into a clear `Invalid` storage error. */
export const decodeStored = <A, I>(schema: Schema.Schema<A, I>, key: string, body: string) =>
  Schema.decodeUnknown(Schema.parseJson(schema))(body).pipe(
    Effect.mapError((error) =>
      new StorageError({
        reason: "Invalid",
        key,
        message: `${key} is not readable: ${ParseResult.TreeFormatter.formatErrorSync(error)}`,
        cause: error
      })
    )
  )

export const encodeJson = <A, I>(schema: Schema.Schema<A, I>, value: A): string =>
  JSON.stringify(Schema.encodeSync(schema)(value))
