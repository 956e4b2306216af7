import { Effect, Layer } from "effect"
import { ObjectStorage, type ObjectStorageShape, StorageError } from "../../src/services/storage/ObjectStorage.js"

/**
 * What the Lambda function's role may do in the lake, by key prefix: the stack's policy, which
 * test/infra/SpotifyPipelineStack.test.ts holds to this table. No delete anywhere.
 */
export const functionRole = {
  "s3:ListBucket": ["plays/", "state/"],
  "s3:GetObject": ["plays/", "state/"],
  "s3:PutObject": ["plays/", "raw/", "state/"]
} as const

const allows = (action: keyof typeof functionRole, key: string) => functionRole[action].some((prefix) => key.startsWith(prefix))

const denied = (action: string, key: string) =>
  Effect.fail(new StorageError({ reason: "AccessDenied", key, message: `AccessDenied: the function's role may not ${action} on ${key}` }))

/** The store in context as the function's role sees S3: each call refused where the policy refuses it. */
export const functionRoleStorage = Layer.effect(
  ObjectStorage,
  Effect.map(ObjectStorage, (storage): ObjectStorageShape => ({
    get: (key) => allows("s3:GetObject", key) ? storage.get(key) : denied("s3:GetObject", key),
    getBytes: (key) => allows("s3:GetObject", key) ? storage.getBytes(key) : denied("s3:GetObject", key),
    list: (prefix) => allows("s3:ListBucket", prefix) ? storage.list(prefix) : denied("s3:ListBucket", prefix),
    putIfAbsent: (key, body) => allows("s3:PutObject", key) ? storage.putIfAbsent(key, body) : denied("s3:PutObject", key),
    putManyIfAbsent: (objects) => {
      const refused = objects.find((object) => !allows("s3:PutObject", object.key))
      return refused === undefined ? storage.putManyIfAbsent(objects) : denied("s3:PutObject", refused.key)
    },
    putIfMatch: (key, body, etag) => allows("s3:PutObject", key) ? storage.putIfMatch(key, body, etag) : denied("s3:PutObject", key),
    put: (key, body) => allows("s3:PutObject", key) ? storage.put(key, body) : denied("s3:PutObject", key),
    remove: (key) => denied("s3:DeleteObject", key)
  }))
)
