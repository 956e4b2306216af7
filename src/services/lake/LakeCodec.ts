import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { flatStruct } from "../../domain/FlatStruct.js"
import { describeParseError } from "../../domain/ParseIssues.js"
import { type ObjectStorageShape, StorageError } from "../storage/ObjectStorage.js"

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

/** The JSON object stored at `key` as `schema`: none when there is no object, `Invalid` when it does not decode. */
export const readStored = <A, I>(storage: ObjectStorageShape, schema: Schema.Schema<A, I>, key: string) =>
  storage.get(key).pipe(
    Effect.flatMap(Option.match({
      onNone: () => Effect.succeedNone,
      onSome: (object) => Effect.asSome(decodeStored(schema, key, object.body))
    }))
  )

/** A stored object that does not decode, and why: readers that can go on without it name it instead of failing. */
export interface DamagedObject {
  readonly key: string
  readonly problem: string
}

/** Stored JSON objects read as one schema: the values that decode, and the objects that do not, each named. */
export interface StoredObjects<A> {
  readonly values: ReadonlyArray<A>
  readonly damaged: ReadonlyArray<DamagedObject>
}

/** A lake object that does not decode, named; any other failure is none of `orDamaged`'s. */
export const undecodable = (error: StorageError): DamagedObject | undefined =>
  error.reason === "Invalid" ? { key: error.key, problem: error.message } : undefined

/**
 * `read`'s value; or, when what it reads is damaged (`damage` names it), none and the damage:
 * for readers that go on without it. Any other failure stays a failure.
 */
export const orDamaged = <A, E, R>(read: Effect.Effect<Option.Option<A>, E, R>, damage: (error: E) => DamagedObject | undefined) =>
  read.pipe(
    Effect.map((value) => ({ value, damaged: [] as ReadonlyArray<DamagedObject> })),
    Effect.catchAll((error) => {
      const damaged = damage(error)
      return damaged === undefined ? Effect.fail(error) : Effect.succeed({ value: Option.none<A>(), damaged: [damaged] })
    })
  )

/** The JSON objects at `keys` as `schema`, in order, and those that do not decode, each named; missing ones are skipped. */
export const readEachStored = <A, I>(storage: ObjectStorageShape, schema: Schema.Schema<A, I>, keys: ReadonlyArray<string>, concurrency: number) =>
  Effect.forEach(keys, (key) => orDamaged(readStored(storage, schema, key), undecodable), { concurrency }).pipe(
    Effect.map((read): StoredObjects<A> => ({
      values: read.flatMap((entry) => Option.toArray(entry.value)),
      damaged: read.flatMap((entry) => entry.damaged)
    }))
  )

/** Every JSON object under `prefix` as `schema`, and those that do not decode, each named. */
export const readAllStored = <A, I>(storage: ObjectStorageShape, schema: Schema.Schema<A, I>, prefix: string, concurrency: number) =>
  Effect.flatMap(storage.list(prefix), (keys) => readEachStored(storage, schema, keys, concurrency))

export const encodeJson = <A, I>(schema: Schema.Schema<A, I>, value: A): string =>
  JSON.stringify(Schema.encodeSync(schema)(value))

/** What a JSON Lines object held: each line as `A`, and the lines that do not decode, each with why. */
export interface JsonLines<A> {
  readonly values: ReadonlyArray<A>
  readonly unreadable: ReadonlyArray<{ readonly line: number; readonly problem: string }>
}

/** A person's words on the lines of `key` that do not decode (at least one): their numbers, and why the first does not. */
export const describeUnreadable = (key: string, unreadable: JsonLines<unknown>["unreadable"]) =>
  `${key} line ${unreadable.map((bad) => bad.line).join(", ")} is not readable (damaged by hand or by the disk?): ${unreadable[0]?.problem ?? ""}`

/**
 * Reads JSON Lines objects of `schema`: the lines that decode, and those that do not (a file cut
 * short or edited by hand), numbered from 1 and left out. A flat struct is checked by its compiled
 * loop and handed over as parsed; Schema decodes what that loop does not take (other shapes, extra
 * fields) and words the problems.
 */
export const jsonLinesDecoder = <A, I>(schema: Schema.Schema<A, I>) => {
  const flat = flatStruct(schema)
  const decode = Schema.decodeUnknownEither(Schema.parseJson(schema))
  const line = (text: string): Either.Either<A, ParseResult.ParseError> => {
    if (flat !== undefined) {
      try {
        const value: unknown = JSON.parse(text)
        if (flat.isExactly(value)) return Either.right(value)
      } catch {
        // Not JSON: Schema says so in its own words below.
      }
    }
    return decode(text)
  }
  return (body: string): JsonLines<A> => {
    const values: Array<A> = []
    const unreadable: Array<{ readonly line: number; readonly problem: string }> = []
    body.split("\n").forEach((text, index) => {
      if (text === "") return
      const decoded = line(text)
      if (Either.isLeft(decoded)) unreadable.push({ line: index + 1, problem: describeParseError(decoded.left) })
      else values.push(decoded.right)
    })
    return { values, unreadable }
  }
}
