import { ObjectStorage } from "../../src/services/ObjectStorage.js"
import { objectStorageContract } from "./ObjectStorage.contract.js"

objectStorageContract("memory", () => ObjectStorage.layerMemory, { conditional: true })
