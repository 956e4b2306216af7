import type { FileSystem, Path } from "@effect/platform"
import { Config, ConfigError, Data, Effect, Either, Layer } from "effect"
import { fileURLToPath } from "node:url"
import { ObjectStorage } from "./ObjectStorage.js"
import { TokenStore } from "./TokenStore.js"

export type LakeLocation = Data.TaggedEnum<{
  Folder: { readonly path: string }
  S3: { readonly bucket: string; readonly prefix: string }
}>
export const LakeLocation = Data.taggedEnum<LakeLocation>()

const bucketName = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/

/** `./data`, `/abs/path`, `file:///abs/path` or `s3://bucket/optional/prefix`. */
export const parseLakeUrl = (url: string): Either.Either<LakeLocation, string> => {
  if (url.startsWith("s3://")) {
    const [bucket = "", ...rest] = url.slice("s3://".length).split("/")
    return bucketName.test(bucket)
      ? Either.right(LakeLocation.S3({ bucket, prefix: rest.filter((s) => s !== "").join("/") }))
      : Either.left(`LAKE_URL names an invalid S3 bucket ${JSON.stringify(bucket)} (expected s3://bucket/prefix)`)
  }
  if (url.startsWith("file://")) return Either.right(LakeLocation.Folder({ path: fileURLToPath(url) }))
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    return Either.left(`LAKE_URL must be a folder path or s3://bucket/prefix, got ${JSON.stringify(url)}`)
  }
  return Either.right(LakeLocation.Folder({ path: url }))
}

const lakeLocation: Config.Config<LakeLocation> = Config.string("LAKE_URL").pipe(
  Config.withDefault("./data"),
  Config.mapOrFail((url) => Either.mapLeft(parseLakeUrl(url.trim()), (message) => ConfigError.InvalidData([], message)))
)

const tokenKey = "state/token.json"

/** The lake's storage and the token store beside it, chosen by `LAKE_URL`. */
export const layerLakeStorage: Layer.Layer<ObjectStorage | TokenStore, ConfigError.ConfigError, FileSystem.FileSystem | Path.Path> =
  Layer.unwrapEffect(
    Effect.map(lakeLocation, LakeLocation.$match({
      Folder: ({ path }) =>
        Layer.merge(ObjectStorage.layerFileSystem(path), TokenStore.layerFile(`${path}/${tokenKey}`)),
      S3: ({ bucket, prefix }) =>
        TokenStore.layerObjectStorage(tokenKey).pipe(Layer.provideMerge(ObjectStorage.layerS3({ bucket, prefix })))
    }))
  )
