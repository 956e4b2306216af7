import * as Effect from "effect/Effect"

/** DuckDB's words for a file it was told to read that is not there. */
const missingFile = /No files found that match the pattern|No such file or directory|Cannot open file/

/**
 * Whether a failure is a Parquet file under `warehouse/` gone while the models named it: another
 * process's build (another `--tz`, say) replaced the model and removed the file it replaced.
 */
export const warehouseFileGone = (error: { readonly message: string }) =>
  missingFile.test(error.message) && error.message.includes("warehouse")

/**
 * `work` (which brings the models up to date, then reads them), run again when a concurrent build
 * removed a file it read: the next build reads that build's manifest. Twice at most.
 */
export const againIfWarehouseReplaced = <A, E extends { readonly message: string }, R>(work: Effect.Effect<A, E, R>) =>
  Effect.retry(work, { times: 2, while: warehouseFileGone })
