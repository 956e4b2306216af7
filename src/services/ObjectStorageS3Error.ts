import { Option, Schema } from "effect"
import { StorageError } from "./StorageError.js"

const SdkFailure = Schema.Struct({
  name: Schema.optional(Schema.String),
  code: Schema.optional(Schema.String),
  message: Schema.optional(Schema.String),
  $metadata: Schema.optional(Schema.Struct({ httpStatusCode: Schema.optional(Schema.Number) })),
  $response: Schema.optional(Schema.Struct({ statusCode: Schema.optional(Schema.Number) }))
})
const decodeFailure = Schema.decodeUnknownOption(SdkFailure)

export interface S3Failure {
  /** HTTP status, when the server answered at all. */
  readonly status: number | undefined
  readonly code: string
  readonly detail: string
}

/** Reads what an SDK error says about the answer; the SDK's classes are not trusted (bundling duplicates them). */
export const describeS3Failure = (error: unknown): S3Failure => {
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

/** A 404 about the key, not about the bucket. */
export const isMissingKey = (error: unknown) => {
  const failure = describeS3Failure(error)
  return failure.status === 404 && failure.code !== "NoSuchBucket"
}

const reasonFor = (failure: S3Failure): StorageError["reason"] => {
  const { code, status } = failure
  if (status === undefined) return code === "CredentialsProviderError" ? "AccessDenied" : "Unavailable"
  if (status === 409 || status === 412) return "Conflict"
  if (status === 401 || status === 403) return "AccessDenied"
  if (status >= 500 || status === 429 || code === "RequestTimeout") return "Unavailable"
  return "Invalid"
}

/** Maps by HTTP status: 412/409 Conflict, 401/403 AccessDenied, 5xx/429/no answer Unavailable. */
export const s3StorageError = (operation: string, key: string, error: unknown, reason?: StorageError["reason"]) => {
  const failure = describeS3Failure(error)
  const status = failure.status === undefined ? "no response" : `HTTP ${failure.status}`
  return new StorageError({
    reason: reason ?? reasonFor(failure),
    key,
    message: `S3 ${operation} ${key} failed (${status} ${failure.code}): ${failure.detail}`,
    cause: error
  })
}
