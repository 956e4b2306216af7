import { expect, layer } from "@effect/vitest"
import { Effect, Option, Schema } from "effect"
import { readFileSync, statSync } from "node:fs"
import { playKey, PlayFromJson } from "../../../src/domain/Play.js"
import { RunSummary } from "../../../src/domain/RunSummary.js"
import * as Emulator from "../../../src/emulator/Emulator.js"
import { ObjectStorage } from "../../../src/services/storage/ObjectStorage.js"
import { makeFakeSecretsManagerServer } from "../../support/FakeSecretsManagerServer.js"
import { BuiltLambda, runInLambdaRuntime, schedulerEvent, standInEnv, unzipInto } from "../../support/LambdaBundle.js"
import { makeS3rver, s3rverClient } from "../../support/S3rverServer.js"
import * as S3Storage from "../../../src/services/storage/S3Storage.js"

/*
 * The real artefact: `node build.mjs` builds the bundle and dist/lambda.zip into a temp folder,
 * the zip is unpacked far from any node_modules, and a fresh Node 24 process (Lambda's
 * nodejs24.x, from npm through npx) imports it and calls its handler as Lambda's runtime does
 * (test/support/lambda-runtime.mjs). Which server proves what:
 * - the emulator (src/emulator, over HTTP) is Spotify: the plays the handler must land;
 * - s3rver is S3 on the wire: the lake, read back here after the handler ran;
 * - FakeSecretsManagerServer speaks Secrets Manager's JSON protocol: the app's credentials and
 *   the refresh token, and (by its request log) that the warm container did not read them again.
 */

const maxBundleBytes = 700_000

const decodeSummary = Schema.decodeUnknownSync(RunSummary)

const secretValues = { client_id: "emulator-client", client_secret: "emulator-secret", refresh_token: "emulator-refresh-token" }

// Building the bundle and fetching Node 24 (once, by npx) take a while on a cold machine.
layer(BuiltLambda.layer, { timeout: "300 seconds" })("the Lambda bundle (dist/lambda.zip)", (it) => {
  it.scoped("is one minified ESM file of at most 700,000 bytes, zipped alone with a source map beside it (not in the zip)", () =>
    Effect.gen(function*() {
      const { bundle, zip } = yield* BuiltLambda
      expect(statSync(bundle).size).toBeLessThanOrEqual(maxBundleBytes)
      const text = readFileSync(bundle, "utf8")
      expect(text.startsWith("import { createRequire as __bannerCreateRequire } from 'node:module';")).toBe(true)
      expect(text.trimEnd().endsWith("//# sourceMappingURL=index.mjs.map")).toBe(true)
      expect(statSync(`${bundle}.map`).size).toBeGreaterThan(0)
      expect((yield* unzipInto(zip)).names).toEqual(["index.mjs"])
    }))

  it.scoped("carries the S3 operations it calls and not the hundreds it never does", () =>
    Effect.gen(function*() {
      const text = readFileSync((yield* BuiltLambda).bundle, "utf8")
      // Each operation's shape names its HTTP route; the build drops the shapes no code reaches.
      for (const used of ["x-id=GetObject", "x-id=PutObject", "x-id=DeleteObject", "list-type=2"]) expect(text).toContain(used)
      for (const unused of ["SelectObjectContent", "WriteGetObjectResponse", "metadataInventoryTable"]) expect(text).not.toContain(unused)
    }))

  it.scoped("in a fresh Node 24 process, syncs the emulator's plays into S3; the same event again changes nothing", () =>
    Effect.gen(function*() {
      const { node, zip } = yield* BuiltLambda
      const emulator = yield* Emulator.make({ seed: 24 })
      const listened = yield* emulator.listen(30)
      const s3 = yield* makeS3rver()
      const sm = yield* makeFakeSecretsManagerServer()
      // Stored (and so authorised, as the secret has no authorised_at) now: no token-age warning.
      sm.nowMs = Date.now()
      const secretArn = sm.create("spotify-pipeline/spotify", JSON.stringify(secretValues))
      const { task } = yield* unzipInto(zip)

      const event = schedulerEvent("2026-11-01T10:00:00Z", "8f1c9d2e-0b7a-4e55-9d61-3f2a7c4b5e10")
      const timeoutMs = 320_000
      const { results, stderr, stdout } = yield* runInLambdaRuntime(node, `${task}/index.mjs`, {
        ...standInEnv({
          lakeUrl: `s3://${s3.bucket}/me/spotify`,
          secretId: secretArn,
          spotifyUrl: emulator.url,
          s3Endpoint: s3.endpoint,
          secretsManagerEndpoint: sm.endpoint
        }),
        AWS_LAMBDA_FUNCTION_NAME: "spotify-pipeline-sync"
      }, {
        invocations: [
          { event, requestId: "request-1", timeoutMs },
          // Scheduler delivers at least once: the same event again, as a new invocation.
          { event, requestId: "request-2", timeoutMs },
          // Lambda retries an event under its request id.
          { event, requestId: "request-1", timeoutMs }
        ]
      })

      expect(results.node).toMatch(/^v24\./)
      expect(stderr).toBe("")
      // Three syncs over HTTP, and Node's fetch stack (undici: tens of ms and ~13 MB) never loaded.
      expect(results.loadedUndici).toBe(false)
      const summaries = results.outcomes.map((outcome) => {
        expect(outcome).toMatchObject({ ok: true })
        return decodeSummary(outcome.ok ? outcome.value : undefined)
      })
      const [first, ...again] = summaries
      expect(first).toMatchObject({ outcome: "synced", fetched: 30, new: 30, duplicates_skipped: 0, gap: null })
      for (const summary of again) {
        expect(summary).toMatchObject({ outcome: "synced", fetched: 30, new: 0, duplicates_skipped: 30, objects: [] })
      }

      // Read back from S3: every play once, and nothing written but what the first run wrote.
      const storage = yield* Effect.provide(
        ObjectStorage,
        S3Storage.layer({ bucket: s3.bucket, prefix: "me/spotify", client: s3rverClient(s3.endpoint) })
      )
      const dataKeys = [...(yield* storage.list("plays/")), ...(yield* storage.list("raw/"))]
      expect([...dataKeys].sort()).toEqual([...(first?.objects ?? [])].sort())
      const playKeys = yield* storage.list("plays/")
      const bodies = yield* Effect.forEach(playKeys, (key) => storage.get(key))
      const plays = bodies.flatMap(Option.toArray).flatMap((object) =>
        object.body.split("\n").filter((line) => line !== "").map((line) => Schema.decodeUnknownSync(PlayFromJson)(line))
      )
      expect(plays.map(playKey).sort()).toEqual(
        listened.map((play) => playKey({ played_at_ms: play.playedAtMs, track_uri: play.trackUri })).sort()
      )

      // One container: the layer was built once and kept, so its cached access token served all
      // three runs (one call to Spotify's token endpoint), and the secret was only ever read.
      expect((yield* emulator.requests).filter((r) => r.path === "/api/token")).toHaveLength(1)
      expect(sm.requests.filter((r) => !r.startsWith("GetSecretValue "))).toEqual([])

      // Logs and metrics: JSON lines only, no secret in any.
      const lines = stdout.trim().split("\n")
      const records = lines.map((line) => Schema.decodeUnknownSync(Schema.parseJson(Schema.Record({ key: Schema.String, value: Schema.Unknown })))(line))
      for (const line of lines) {
        for (const secret of [secretValues.client_secret, secretValues.refresh_token]) expect(line).not.toContain(secret)
      }
      const logs = records.filter((record) => !("_aws" in record))
      expect(logs.length).toBeGreaterThan(0)
      for (const log of logs) {
        expect(log).toMatchObject({ level: expect.stringMatching(/^(DEBUG|INFO|WARN|ERROR)$/), message: expect.any(String) })
        expect(["request-1", "request-2"]).toContain(log.requestId)
      }
      const metrics = records.filter((record) => "_aws" in record)
      expect(metrics.map((m) => [m.NewPlays, m.Gaps, m.SyncSucceeded, m.MinutesSinceLastSync])).toEqual([
        [30, 0, 1, 0],
        [0, 0, 1, 0],
        [0, 0, 1, 0]
      ])
      expect(metrics[0]).toMatchObject({ Function: "spotify-pipeline-sync", outcome: "synced" })
    }), 120_000)

  it.scoped("a secret with nothing put into it yet fails the invocation with an error that says what to put there", () =>
    Effect.gen(function*() {
      const { node, zip } = yield* BuiltLambda
      const emulator = yield* Emulator.make({ seed: 25 })
      yield* emulator.listen(3)
      const s3 = yield* makeS3rver()
      const sm = yield* makeFakeSecretsManagerServer()
      const { task } = yield* unzipInto(zip)
      const env = standInEnv({
        lakeUrl: `s3://${s3.bucket}`,
        secretId: "spotify-pipeline/spotify",
        spotifyUrl: emulator.url,
        s3Endpoint: s3.endpoint,
        secretsManagerEndpoint: sm.endpoint
      })
      const event = schedulerEvent("2026-11-01T10:30:00Z", "0d5e6f7a-1b2c-4d3e-8f9a-b0c1d2e3f4a5")
      // The stack's placeholder secret: nothing put into it yet.
      sm.create("spotify-pipeline/spotify", "{}")
      const { results } = yield* runInLambdaRuntime(node, `${task}/index.mjs`, env, {
        invocations: [{ event, requestId: "request-a", timeoutMs: 320_000 }]
      })
      expect(results.outcomes).toEqual([{
        requestId: "request-a",
        ok: false,
        errorType: "TokenStoreError",
        errorMessage:
          `The secret spotify-pipeline/spotify has no client_id yet; put {"client_id": "...", "client_secret": "...", "refresh_token": "..."} into it`
      }])
    }), 120_000)
})
