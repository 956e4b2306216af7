import * as Data from "effect/Data"
import * as Either from "effect/Either"
import { fileURLToPath } from "node:url"

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
  if (url.startsWith("file://")) {
    // fileURLToPath throws on a host (file://data/lake) and on an encoded slash: a sentence instead.
    try {
      return Either.right(LakeLocation.Folder({ path: fileURLToPath(url) }))
    } catch (error) {
      return Either.left(
        `LAKE_URL ${JSON.stringify(url)} is not a local file URL (${error instanceof Error ? error.message : String(error)}): ` +
          "use file:///absolute/path or a plain folder path"
      )
    }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    return Either.left(`LAKE_URL must be a folder path or s3://bucket/prefix, got ${JSON.stringify(url)}`)
  }
  return Either.right(LakeLocation.Folder({ path: url }))
}
