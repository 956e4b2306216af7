import { type AwsFailure, describeAwsFailure } from "./AwsFailure.js"
import { StorageError } from "./StorageError.js"

/** A 404 about the key, not about the bucket. */
export const isMissingKey = (error: unknown) => {
  const failure = describeAwsFailure(error)
  return failure.status === 404 && failure.code !== "NoSuchBucket"
}

const reasonFor = (failure: AwsFailure): StorageError["reason"] => {
  const { code, status } = failure
  if (status === undefined) return code === "CredentialsProviderError" ? "AccessDenied" : "Unavailable"
  if (status === 409 || status === 412) return "Conflict"
  if (status === 401 || status === 403) return "AccessDenied"
  if (status >= 500 || status === 429 || code === "RequestTimeout") return "Unavailable"
  return "Invalid"
}

/** Maps by HTTP status: 412/409 Conflict, 401/403 AccessDenied, 5xx/429/no answer Unavailable. */
export const s3StorageError = (operation: string, key: string, error: unknown, reason?: StorageError["reason"]) => {
  const failure = describeAwsFailure(error)
  const status = failure.status === undefined ? "no response" : `HTTP ${failure.status}`
  return new StorageError({
    reason: reason ?? reasonFor(failure),
    key,
    message: `S3 ${operation} ${key} failed (${status} ${failure.code}): ${failure.detail}`,
    cause: error
  })
}
