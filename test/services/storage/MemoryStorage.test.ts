import { objectStorageContract } from "./ObjectStorage.contract.js"
import * as MemoryStorage from "../../../src/services/storage/MemoryStorage.js"

objectStorageContract("memory", () => MemoryStorage.layer, { conditional: true })
