import * as Effect from "effect/Effect"
import type { ImportProgress } from "../../programs/ImportHistory.js"
import { baseName } from "../../domain/exports/ExportFormat.js"
import { withThousands } from "../../domain/Thousands.js"

const width = 24

const line = (progress: ImportProgress) => {
  const filled = progress.filesTotal === 0 ? width : Math.round((progress.filesDone / progress.filesTotal) * width)
  const current = progress.current === null ? "done" : baseName(progress.current)
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] files ${progress.filesDone}/${progress.filesTotal}, ` +
    `rows ${withThousands(progress.rowsDone)}  ${current}`
}

/** A one-line progress bar on stderr, redrawn in place, when stderr is a terminal; nothing otherwise. */
export const progressBar = (stream: NodeJS.WriteStream) => {
  const shown = stream.isTTY === true
  return {
    update: (progress: ImportProgress) =>
      shown ? Effect.sync(() => void stream.write(`\r\u001b[2K${line(progress)}`)) : Effect.void,
    clear: shown ? Effect.sync(() => void stream.write("\r\u001b[2K")) : Effect.void
  }
}
