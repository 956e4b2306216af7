import { Effect, Layer } from "effect"
import { ObjectStorage, StorageError } from "../../src/services/storage/ObjectStorage.js"

/**
 * The store in context as the Lambda function's role sees S3: PutObject and GetObject, no
 * DeleteObject (the stack grants none, and its test says so). Every remove is refused.
 */
export const noDeleteStorage = Layer.effect(
  ObjectStorage,
  Effect.map(ObjectStorage, (storage) => ({
    ...storage,
    remove: (key: string) =>
      Effect.fail(new StorageError({ reason: "AccessDenied", key, message: `AccessDenied: s3:DeleteObject on ${key} is not allowed` }))
  }))
)
