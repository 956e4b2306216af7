import type * as FileSystem from "@effect/platform/FileSystem"
import type * as Path from "@effect/platform/Path"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { LakeLocation } from "../../domain/LakeLocation.js"
import { tokenKey } from "../../services/lake/LakeLayout.js"
import * as FileSystemStorage from "../../services/storage/FileSystemStorage.js"
import type { ObjectStorage } from "../../services/storage/ObjectStorage.js"
import * as FileTokenStore from "../../services/tokens/FileTokenStore.js"
import * as ObjectStorageTokenStore from "../../services/tokens/ObjectStorageTokenStore.js"
import type { TokenStore } from "../../services/tokens/TokenStore.js"

/** The lake's storage and the token store beside it: files in a folder, or objects in S3. */
export const layerLakeStorage = (
  location: LakeLocation
): Layer.Layer<ObjectStorage | TokenStore, ConfigError.ConfigError, FileSystem.FileSystem | Path.Path> =>
  LakeLocation.$match(location, {
    Folder: ({ path }) => Layer.merge(FileSystemStorage.layer(path), FileTokenStore.layer(`${path}/${tokenKey}`)),
    // The AWS SDK is loaded only for an S3 lake (a chunk of its own in the CLI's bundle).
    S3: ({ bucket, prefix }) =>
      ObjectStorageTokenStore.layer(tokenKey).pipe(
        Layer.provideMerge(
          Layer.unwrapEffect(Effect.map(Effect.promise(() => import("../../services/storage/S3Storage.js")), (s3) => s3.layer({ bucket, prefix })))
        )
      )
  })
