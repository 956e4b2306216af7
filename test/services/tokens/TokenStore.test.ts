import { FileSystem } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Layer, Option, Redacted } from "effect"
import { dirname, join } from "node:path"
import { ObjectStorage } from "../../../src/services/storage/ObjectStorage.js"
import { StorageError } from "../../../src/services/storage/ObjectStorage.js"
import { TokenStore } from "../../../src/services/tokens/TokenStore.js"
import { tempDir } from "../../support/TempDir.js"
import { token, tokenStoreContract } from "./TokenStore.contract.js"
import * as MemoryStorage from "../../../src/services/storage/MemoryStorage.js"
import * as MemoryTokenStore from "../../../src/services/tokens/MemoryTokenStore.js"
import * as FileTokenStore from "../../../src/services/tokens/FileTokenStore.js"
import * as ObjectStorageTokenStore from "../../../src/services/tokens/ObjectStorageTokenStore.js"

const secret = "AQD-super-secret-refresh"

// The folder does not exist yet: the store must create it.
const tempTokenPath = Effect.map(tempDir("token-"), (dir) => join(dir, "state", "token.json"))

tokenStoreContract(it, "memory", MemoryTokenStore.layer)
tokenStoreContract(
  it,
  "file",
  Layer.unwrapScoped(Effect.map(tempTokenPath, FileTokenStore.layer)).pipe(Layer.provide(NodeContext.layer))
)
tokenStoreContract(
  it,
  "object storage (memory)",
  ObjectStorageTokenStore.layer("state/token.json").pipe(Layer.provide(MemoryStorage.layer))
)

const withFile = <A, E>(body: (file: string) => Effect.Effect<A, E, TokenStore | FileSystem.FileSystem>) =>
  Effect.gen(function*() {
    const file = yield* tempTokenPath
    return yield* body(file).pipe(Effect.provide(FileTokenStore.layer(file)))
  }).pipe(Effect.scoped, Effect.provide(NodeContext.layer))

const expectNoSecret = (error: unknown) => {
  expect(String(error)).not.toContain(secret)
  expect(Cause.pretty(Cause.fail(error))).not.toContain(secret)
  expect(JSON.stringify(error)).not.toContain(secret)
}

describe("TokenStore.layerFile", () => {
  it.effect("writes the file owner-only (0600), with only the file left in its folder", () =>
    withFile((file) =>
      Effect.gen(function*() {
        const fs = yield* FileSystem.FileSystem
        yield* (yield* TokenStore).set(token(secret))
        expect((yield* fs.stat(file)).mode & 0o777).toBe(0o600)
        expect(yield* fs.readDirectory(file.replace(/\/token\.json$/, ""))).toEqual(["token.json"])
        const json: unknown = JSON.parse(yield* fs.readFileString(file))
        expect(json).toEqual({ refresh_token: secret, authorised_at_ms: 1_767_225_600_000, bootstrap_fingerprint: null })
      })
    ))

  it.effect("tightens a file that existed with looser bits (0644) to 0600 when it replaces it", () =>
    withFile((file) =>
      Effect.gen(function*() {
        const fs = yield* FileSystem.FileSystem
        const store = yield* TokenStore
        yield* fs.makeDirectory(file.replace(/\/token\.json$/, ""), { recursive: true })
        yield* fs.writeFileString(file, JSON.stringify({ refresh_token: "old", authorised_at_ms: 1, bootstrap_fingerprint: null }))
        yield* fs.chmod(file, 0o644)
        expect(Option.map(yield* store.get, (t) => Redacted.value(t.refresh_token))).toEqual(Option.some("old"))
        yield* store.set(token(secret))
        expect((yield* fs.stat(file)).mode & 0o777).toBe(0o600)
        expect(Option.map(yield* store.get, (t) => Redacted.value(t.refresh_token))).toEqual(Option.some(secret))
      })
    ))

  it.effect("syncs the new name into its folder, and the folders a first write created into their parents", () =>
    Effect.gen(function*() {
      const file = yield* tempTokenPath // <temp>/state/token.json: the write creates state/
      const state = dirname(file)
      // The store opens a folder only to sync it: the folders opened for reading are the ones it synced.
      const synced: Array<string> = []
      const watched = Layer.effect(
        FileSystem.FileSystem,
        Effect.map(FileSystem.FileSystem, (fs) => ({
          ...fs,
          open: (path: string, options?: FileSystem.OpenFileOptions) => {
            if (options?.flag === "r") synced.push(path)
            return fs.open(path, options)
          }
        }))
      )
      const set = (secret: string) =>
        Effect.flatMap(TokenStore, (store) => store.set(token(secret))).pipe(
          Effect.provide(FileTokenStore.layer(file).pipe(Layer.provide(watched)))
        )
      yield* set("first")
      expect(synced).toEqual([state, dirname(state)])
      synced.length = 0
      yield* set("second")
      expect(synced).toEqual([state])
    }).pipe(Effect.scoped, Effect.provide(NodeContext.layer)))

  it.effect("reports a truncated file as Corrupt, naming the file and not the token", () =>
    withFile((file) =>
      Effect.gen(function*() {
        const fs = yield* FileSystem.FileSystem
        yield* fs.makeDirectory(file.replace(/\/token\.json$/, ""), { recursive: true })
        yield* fs.writeFileString(file, `{"refresh_token":"${secret}","authorised_at_ms":17`)
        const error = yield* Effect.flip((yield* TokenStore).get)
        expect(error.reason).toBe("Corrupt")
        expect(error.message).toContain(file)
        expectNoSecret(error)
      })
    ))

  it.effect("reports a field of the wrong type as Corrupt, naming the field and not the token", () =>
    withFile((file) =>
      Effect.gen(function*() {
        const fs = yield* FileSystem.FileSystem
        yield* fs.makeDirectory(file.replace(/\/token\.json$/, ""), { recursive: true })
        yield* fs.writeFileString(file, JSON.stringify({ refresh_token: secret, authorised_at_ms: "soon" }))
        const error = yield* Effect.flip((yield* TokenStore).get)
        expect(error.reason).toBe("Corrupt")
        expect(error.message).toContain("authorised_at_ms")
        expect(error.message).toContain("bootstrap_fingerprint")
        expectNoSecret(error)
      })
    ))
})

describe("ObjectStorageTokenStore", () => {
  const run = <A, E>(effect: Effect.Effect<A, E, TokenStore | ObjectStorage>) =>
    Effect.provide(
      effect,
      ObjectStorageTokenStore.layer("state/token.json").pipe(Layer.provideMerge(MemoryStorage.layer))
    )

  it.effect("keeps one object at its key, replaced in place", () =>
    run(Effect.gen(function*() {
      const store = yield* TokenStore
      const storage = yield* ObjectStorage
      yield* store.set(token("one"))
      const first = yield* storage.get("state/token.json")
      yield* store.set(token("two"))
      const second = yield* storage.get("state/token.json")
      expect(yield* storage.list("")).toEqual(["state/token.json"])
      expect(Option.map(second, (o) => JSON.parse(o.body))).toEqual(
        Option.some({ refresh_token: "two", authorised_at_ms: 1_767_225_600_000, bootstrap_fingerprint: null })
      )
      expect(Option.map(first, (o) => o.etag)).not.toEqual(Option.map(second, (o) => o.etag))
    })))

  it.effect("lets racing writers all succeed, one of their tokens stored", () =>
    run(Effect.gen(function*() {
      const store = yield* TokenStore
      const writers = ["a", "b", "c", "d"]
      yield* Effect.all(writers.map((w) => store.set(token(w))), { concurrency: "unbounded" })
      const stored = Option.map(yield* store.get, (t) => Redacted.value(t.refresh_token))
      expect(Option.exists(stored, (refresh) => writers.includes(refresh))).toBe(true)
    })))

  it.effect("reports a corrupt object as Corrupt, naming the key and not the token", () =>
    run(Effect.gen(function*() {
      const storage = yield* ObjectStorage
      yield* storage.putIfAbsent("state/token.json", `{"refresh_token":"${secret}"`)
      const error = yield* Effect.flip((yield* TokenStore).get)
      expect(error.reason).toBe("Corrupt")
      expect(error.message).toContain("state/token.json")
      expectNoSecret(error)
    })))

  it.effect("reports a failing store as Unavailable", () =>
    Effect.gen(function*() {
      const denied = new StorageError({ reason: "AccessDenied", key: "state/token.json", message: "S3 said no" })
      const store = yield* Effect.provide(
        TokenStore,
        ObjectStorageTokenStore.layer("state/token.json").pipe(
          Layer.provide(Layer.succeed(ObjectStorage, {
            get: () => Effect.fail(denied),
            getBytes: () => Effect.fail(denied),
            list: () => Effect.fail(denied),
            putIfAbsent: () => Effect.fail(denied),
            putManyIfAbsent: () => Effect.fail(denied),
            putIfMatch: () => Effect.fail(denied),
            put: () => Effect.fail(denied),
            remove: () => Effect.fail(denied)
          }))
        )
      )
      const errors = [yield* Effect.flip(store.get), yield* Effect.flip(store.set(token(secret)))]
      expect(errors.map((error) => error.reason)).toEqual(["Unavailable", "Unavailable"])
      expect(errors[0]?.message).toContain("S3 said no")
      errors.forEach(expectNoSecret)
    }))
})
