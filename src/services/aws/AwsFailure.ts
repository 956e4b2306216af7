import * as Option from "effect/Option"
import * as Schema from "effect/Schema"

const SdkFailure = Schema.Struct({
  name: Schema.optional(Schema.String),
  code: Schema.optional(Schema.String),
  message: Schema.optional(Schema.String),
  $metadata: Schema.optional(Schema.Struct({ httpStatusCode: Schema.optional(Schema.Number) })),
  $response: Schema.optional(Schema.Struct({ statusCode: Schema.optional(Schema.Number) }))
})
const decodeFailure = Schema.decodeUnknownOption(SdkFailure)

export interface AwsFailure {
  /** HTTP status, when the server answered at all. */
  readonly status: number | undefined
  readonly code: string
  readonly detail: string
}

/** Reads what an SDK error says about the answer; the SDK's classes are not trusted (bundling duplicates them). */
export const describeAwsFailure = (error: unknown): AwsFailure => {
  const failure = decodeFailure(error)
  const status = Option.flatMap(failure, (f) =>
    Option.fromNullable(f.$metadata?.httpStatusCode ?? f.$response?.statusCode))
  const code = Option.flatMap(failure, (f) => Option.fromNullable(f.name ?? f.code))
  const message = Option.flatMap(failure, (f) => Option.fromNullable(f.message))
  return {
    status: Option.getOrUndefined(status),
    code: Option.getOrElse(code, () => "UnknownError"),
    detail: Option.getOrElse(message, () => String(error))
  }
}
