import { it, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { FakeS3 } from "../../support/FakeS3Server.js"
import { folderStorage } from "../../support/TestLake.js"
import { stateStoreContract } from "./StateStore.contract.js"
import * as MemoryStorage from "../../../src/services/storage/MemoryStorage.js"
import * as S3Storage from "../../../src/services/storage/S3Storage.js"

stateStoreContract(it, "memory", MemoryStorage.layer)

stateStoreContract(it, "filesystem", folderStorage("state-"))

let lakes = 0
const s3Storage = Layer.unwrapEffect(Effect.map(FakeS3, (fake) =>
  S3Storage.layer({
    bucket: fake.bucket,
    prefix: `state-${++lakes}`,
    client: { endpoint: fake.endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 1 }
  })))

// The loopback server answers S3's 412/409 for conditional writes, which the lease and the
// compare-and-swap rely on; s3rver ignores those headers, so it cannot prove them.
layer(FakeS3.layer)((it) => {
  stateStoreContract(it, "S3 on the conditional-write loopback server", s3Storage)
})
