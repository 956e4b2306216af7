import { afterAll, beforeAll } from "@effect/vitest"
import { Effect, Exit, Scope } from "effect"
import { type FakeS3Server, makeFakeS3Server } from "../../support/FakeS3Server.js"
import { folderStorage } from "../../support/TestLake.js"
import { stateStoreContract } from "./StateStore.contract.js"
import * as MemoryStorage from "../../../src/services/storage/MemoryStorage.js"
import * as S3Storage from "../../../src/services/storage/S3Storage.js"

stateStoreContract("memory", () => MemoryStorage.layer)

stateStoreContract("filesystem", () => folderStorage("state-"))

// The loopback server answers S3's 412/409 for conditional writes, which the lease and the
// compare-and-swap rely on; s3rver ignores those headers, so it cannot prove them.
const scope = Effect.runSync(Scope.make())
let fake: FakeS3Server | undefined
let lakes = 0
beforeAll(() => Effect.runPromise(Effect.map(Scope.extend(makeFakeS3Server(), scope), (server) => void (fake = server))))
afterAll(() => Effect.runPromise(Scope.close(scope, Exit.void)))

stateStoreContract("S3 on the conditional-write loopback server", () => {
  if (fake === undefined) throw new Error("the loopback S3 server did not start")
  return S3Storage.layer({
    bucket: fake.bucket,
    prefix: `state-${++lakes}`,
    client: { endpoint: fake.endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 1 }
  })
})
