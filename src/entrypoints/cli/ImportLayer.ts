import * as Layer from "effect/Layer"
import type { LakeLocation } from "../../domain/LakeLocation.js"
import * as LocalExportFiles from "../../services/exportfiles/LocalExportFiles.js"
import { ExportLake } from "../../services/exportlake/ExportLake.js"
import { StateStore } from "../../services/lake/StateStore.js"
import { layerLakeStorage } from "./LakeStorage.js"

/** What an import needs: the export side of the lake at `location` and its lease, and the export's files on this machine (the CLI's only: the Lambda never imports). */
export const layerImport = (location: LakeLocation) =>
  Layer.merge(Layer.merge(ExportLake.layer, StateStore.layer).pipe(Layer.provide(layerLakeStorage(location))), LocalExportFiles.layer())
