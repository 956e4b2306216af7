import { it } from "@effect/vitest"
import { objectStorageContract } from "./ObjectStorage.contract.js"
import * as MemoryStorage from "../../../src/services/storage/MemoryStorage.js"

objectStorageContract(it, "memory", MemoryStorage.layer, { conditional: true })
