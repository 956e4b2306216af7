import { Command } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { Context, Effect, Layer, Option, Schema, type Scope, Stream } from "effect"
import { createRequire } from "node:module"
import { tempDir } from "./TempDir.js"

export interface S3rverServer {
  readonly endpoint: string
  readonly bucket: string
}

// s3rver encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 only has in its
// legacy provider: it runs in its own Node process with that provider, so pagination works.
const script = `
const [s3rverPath, directory, bucket] = process.argv.slice(1)
const S3rver = require(s3rverPath)
new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] })
  .run()
  .then((address) => process.stdout.write(JSON.stringify({ port: address.port }) + "\\n"))
`

const Started = Schema.parseJson(Schema.Struct({ port: Schema.Number }))

/** A real S3 wire server (s3rver) on an OS-picked loopback port, its files in a fresh temp dir. */
export const makeS3rver = (bucket = "lake"): Effect.Effect<S3rverServer, never, Scope.Scope> =>
  Effect.gen(function*() {
    const directory = yield* tempDir("s3rver-")
    // Stopped (SIGTERM, then awaited) when the scope closes.
    const server = yield* Command.make(
      process.execPath,
      "--openssl-legacy-provider",
      "-e",
      script,
      createRequire(import.meta.url).resolve("s3rver"),
      directory,
      bucket
    ).pipe(Command.stderr("inherit"), Command.start)
    const line = yield* server.stdout.pipe(Stream.decodeText(), Stream.splitLines, Stream.runHead)
    if (Option.isNone(line)) return yield* Effect.dieMessage(`s3rver exited with code ${yield* server.exitCode} before listening`)
    const { port } = yield* Schema.decode(Started)(line.value)
    return { endpoint: `http://127.0.0.1:${port}`, bucket }
  }).pipe(Effect.orDie, Effect.provide(NodeContext.layer))

/** One s3rver shared by a block of tests (`layer(S3rver.layer)`): each test keeps to a prefix of its own. */
export class S3rver extends Context.Tag("test/S3rver")<S3rver, S3rverServer>() {
  static readonly layer = Layer.scoped(S3rver, makeS3rver())
}

/** Credentials s3rver accepts; path-style, since it does not resolve bucket host names on 127.0.0.1. */
export const s3rverClient = (endpoint: string) => ({
  endpoint,
  region: "us-east-1",
  forcePathStyle: true,
  credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" }
})

/** The variables that point the CLI at an S3 lake on `server`, under `prefix`. */
export const s3rverEnv = (server: S3rverServer, prefix: string) => ({
  LAKE_URL: `s3://${server.bucket}/${prefix}`,
  AWS_ENDPOINT_URL_S3: server.endpoint,
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "S3RVER",
  AWS_SECRET_ACCESS_KEY: "S3RVER"
})
