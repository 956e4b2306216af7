import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import { LakeLocation, parseLakeUrl } from "../../src/domain/LakeLocation.js"

describe("parseLakeUrl", () => {
  it("reads folders, file URLs and S3 URLs", () => {
    expect(parseLakeUrl("./data")).toEqual(Either.right(LakeLocation.Folder({ path: "./data" })))
    expect(parseLakeUrl("file:///srv/lake")).toEqual(Either.right(LakeLocation.Folder({ path: "/srv/lake" })))
    expect(parseLakeUrl("s3://my-bucket/me/spotify/")).toEqual(Either.right(LakeLocation.S3({ bucket: "my-bucket", prefix: "me/spotify" })))
  })

  it("a file URL with a host, which names no local folder, is a sentence, not a thrown error", () => {
    const parsed = parseLakeUrl("file://relative/x")
    expect(Either.isLeft(parsed)).toBe(true)
    expect(Either.getLeft(parsed)).toEqual(expect.objectContaining({ value: expect.stringMatching(/^LAKE_URL "file:\/\/relative\/x" is not a local file URL \(.+\): use file:\/\/\/absolute\/path or a plain folder path$/) }))
  })
})
