import { Context, Effect, Layer, type Scope } from "effect"
import { createHash } from "node:crypto"
import type { IncomingMessage, ServerResponse } from "node:http"
import { loopbackEndpoint, loopbackServer, readBody } from "./LoopbackServer.js"

/**
 * A loopback server speaking the part of S3 the S3 layer uses (path-style GetObject, PutObject,
 * ListObjectsV2), and enforcing conditional writes as S3 does: `If-None-Match: *` and `If-Match`
 * answer 412 PreconditionFailed (or 409 ConditionalRequestConflict, when switched), `If-Match`
 * on a missing key answers 404 NoSuchKey. No installable S3 server enforces these.
 */
export interface FakeS3Server {
  readonly endpoint: string
  readonly bucket: string
  /** Answer every request with this S3 error until set back to undefined. */
  failWith: { readonly status: 403 | 500 | 503; readonly html?: boolean } | undefined
  /** Accept requests and never answer them. */
  hang: boolean
  /** How a failed precondition is answered. */
  conditionalFailure: 412 | 409
  /** Every request seen, as "METHOD path?query". */
  readonly requests: Array<string>
}

interface Stored {
  readonly body: Buffer
  readonly etag: string
}

const escapeXml = (text: string) =>
  text.replace(/[<>&'"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", "\"": "&quot;" })[c] ?? c)

const errorCodes: Record<number, readonly [string, string]> = {
  403: ["AccessDenied", "Access Denied"],
  404: ["NoSuchKey", "The specified key does not exist."],
  409: ["ConditionalRequestConflict", "A conflicting conditional operation is currently in progress against this resource."],
  412: ["PreconditionFailed", "At least one of the pre-conditions you specified did not hold"],
  500: ["InternalError", "We encountered an internal error. Please try again."],
  503: ["SlowDown", "Please reduce your request rate."]
}

const sendError = (res: ServerResponse, status: number, extra: Record<string, string> = {}, code?: string) => {
  const [defaultCode, message] = errorCodes[status] ?? ["InternalError", "error"]
  const fields = Object.entries(extra).map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`).join("")
  res.writeHead(status, { "content-type": "application/xml" })
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code ?? defaultCode}</Code><Message>${message}</Message>${fields}<RequestId>fake</RequestId></Error>`
  )
}

const listXml = (bucket: string, url: URL, objects: Map<string, Stored>) => {
  const prefix = url.searchParams.get("prefix") ?? ""
  const maxKeys = Number(url.searchParams.get("max-keys") ?? "1000")
  const token = url.searchParams.get("continuation-token")
  const after = token === null ? undefined : Buffer.from(token, "base64url").toString("utf8")
  const keys = [...objects.keys()]
    .filter((key) => key.startsWith(prefix) && (after === undefined || Buffer.compare(Buffer.from(key), Buffer.from(after)) > 0))
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
  const page = keys.slice(0, maxKeys)
  const truncated = keys.length > page.length
  const last = page.at(-1)
  const contents = page.map((key) => {
    const object = objects.get(key)
    return `<Contents><Key>${escapeXml(key)}</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified>` +
      `<ETag>${escapeXml(object?.etag ?? "")}</ETag><Size>${object?.body.length ?? 0}</Size><StorageClass>STANDARD</StorageClass></Contents>`
  }).join("")
  const next = truncated && last !== undefined
    ? `<NextContinuationToken>${Buffer.from(last).toString("base64url")}</NextContinuationToken>`
    : ""
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
    `<Name>${escapeXml(bucket)}</Name><Prefix>${escapeXml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount>` +
    `<MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}${next}</ListBucketResult>`
}

export const makeFakeS3Server = (bucket = "lake"): Effect.Effect<FakeS3Server, never, Scope.Scope> =>
  Effect.suspend(() => {
    const objects = new Map<string, Stored>()
    const fake: FakeS3Server & { endpoint: string } = {
      endpoint: "",
      bucket,
      failWith: undefined,
      hang: false,
      conditionalFailure: 412,
      requests: []
    }

    const handle = async (req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1")
      fake.requests.push(`${req.method} ${url.pathname}${url.search}`)
      const body = await readBody(req)
      if (fake.hang) return
      if (fake.failWith !== undefined) {
        if (fake.failWith.html === true) {
          res.writeHead(fake.failWith.status, { "content-type": "text/html" })
          return res.end("<html><body><h1>Service Unavailable</h1></body></html>")
        }
        return sendError(res, fake.failWith.status)
      }
      if (req.headers.authorization === undefined) return sendError(res, 403)
      const [, bucketName = "", ...rest] = url.pathname.split("/")
      if (bucketName !== bucket) return sendError(res, 404, { BucketName: bucketName }, "NoSuchBucket")
      const key = decodeURIComponent(rest.join("/"))
      if (req.method === "GET" && key === "" && url.searchParams.get("list-type") === "2") {
        res.writeHead(200, { "content-type": "application/xml" })
        return res.end(listXml(bucket, url, objects))
      }
      if (req.method === "GET" && key !== "") {
        const object = objects.get(key)
        if (object === undefined) return sendError(res, 404, { Key: key })
        res.writeHead(200, { etag: object.etag, "content-length": object.body.length, "content-type": "application/octet-stream" })
        return res.end(object.body)
      }
      if (req.method === "PUT" && key !== "") {
        // Check and store with no await in between: one winner among racing requests.
        const current = objects.get(key)
        const ifNoneMatch = req.headers["if-none-match"]
        const ifMatch = req.headers["if-match"]
        if (ifNoneMatch !== undefined && (ifNoneMatch !== "*" || current !== undefined)) {
          return sendError(res, fake.conditionalFailure, { Condition: "If-None-Match" })
        }
        if (ifMatch !== undefined && current === undefined) return sendError(res, 404, { Key: key })
        if (ifMatch !== undefined && current?.etag !== ifMatch) {
          return sendError(res, fake.conditionalFailure, { Condition: "If-Match" })
        }
        const etag = `"${createHash("md5").update(body).digest("hex")}"`
        objects.set(key, { body, etag })
        res.writeHead(200, { etag })
        return res.end()
      }
      if (req.method === "DELETE" && key !== "") {
        objects.delete(key)
        res.writeHead(204)
        return res.end()
      }
      return sendError(res, 501, {}, "NotImplemented")
    }

    const serve = (req: IncomingMessage, res: ServerResponse) => void handle(req, res).catch(() => sendError(res, 500))
    return Effect.map(loopbackServer(serve), (server) => {
      fake.endpoint = loopbackEndpoint(server)
      return fake
    })
  })

/** One fake S3 server shared by a block of tests (`layer(FakeS3.layer)`): each test keeps to a prefix of its own. */
export class FakeS3 extends Context.Tag("test/FakeS3")<FakeS3, FakeS3Server>() {
  static readonly layer = Layer.scoped(FakeS3, makeFakeS3Server())
}
