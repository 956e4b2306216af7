import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Ref from "effect/Ref"
import { createHash } from "node:crypto"
import * as yauzl from "yauzl"
import { sha256Hex } from "../../domain/Sha256.js"
import {
  defaultLimits,
  type ExportContent,
  type ExportFile,
  ExportFiles,
  ExportFilesError,
  type ExportLimits
} from "./ExportFiles.js"
import { withThousands } from "../../domain/Thousands.js"

const reasonText = (cause: unknown) => cause instanceof Error ? cause.message : String(cause)

const size = (bytes: number) => `${withThousands(bytes)} bytes`

const make = (limits: ExportLimits) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const readSoFar = yield* Ref.make(0)

    const fail = (reason: ExportFilesError["reason"], at: string, message: string, cause?: unknown) =>
      new ExportFilesError({ reason, path: at, message, ...(cause === undefined ? {} : { cause }) })

    const corrupt = (zip: string, what: string) => (cause: unknown) =>
      fail("CorruptZip", zip, `${zip}${what} cannot be read: it is not a zip or it is damaged (${reasonText(cause)})`, cause)

    const openZip = (zip: string) =>
      Effect.acquireRelease(
        Effect.tryPromise({
          try: () => yauzl.openPromise(zip, { lazyEntries: true, autoClose: false }),
          catch: corrupt(zip, "")
        }),
        (opened) => Effect.sync(() => opened.close())
      )

    const entriesOf = (zip: string) =>
      Effect.scoped(Effect.gen(function*() {
        const opened = yield* openZip(zip)
        if (opened.entryCount > limits.maxEntries) {
          return yield* fail("TooManyEntries", zip, `${zip} holds ${opened.entryCount} entries, more than the ${limits.maxEntries} an export can have`)
        }
        return yield* Effect.tryPromise({
          try: async () => {
            const entries: Array<yauzl.Entry> = []
            for await (const entry of opened.eachEntry()) entries.push(entry)
            return entries
          },
          catch: corrupt(zip, "")
        })
      }))

    const tooLarge = (at: string, bytes: number) =>
      fail("TooLarge", at, `${at} is ${size(bytes)}, more than the ${size(limits.maxFileBytes)} any file of an export has`)

    const counted = (at: string, bytes: number) =>
      Ref.updateAndGet(readSoFar, (n) => n + bytes).pipe(
        Effect.filterOrFail(
          (total) => total <= limits.maxTotalBytes,
          () => fail("TooLarge", at, `reading ${at} takes the import past ${size(limits.maxTotalBytes)}, more than any export holds`)
        )
      )

    const inflated = (zip: string, name: string) =>
      Effect.scoped(Effect.gen(function*() {
        const opened = yield* openZip(zip)
        const where = `${zip}: ${name}`
        const content = yield* Effect.tryPromise({
          // yauzl refuses an entry that inflates past the size it declares, which `read` checked.
          try: async (): Promise<ExportContent | "missing"> => {
            for await (const entry of opened.eachEntry()) {
              if (entry.fileName !== name) continue
              const hash = createHash("sha256")
              const chunks: Array<Buffer> = []
              for await (const chunk of await opened.openReadStreamPromise(entry)) {
                if (!Buffer.isBuffer(chunk)) throw new Error("the zip stream yielded something other than bytes")
                hash.update(chunk)
                chunks.push(chunk)
              }
              return { bytes: Buffer.concat(chunks), sha256: hash.digest("hex") }
            }
            return "missing"
          },
          catch: corrupt(zip, `'s entry ${name}`)
        })
        if (content === "missing") return yield* fail("NotFound", where, `${where} is no longer in the zip`)
        return content
      }))

    const platformFailure = (at: string) => (error: { readonly message: string; readonly _tag: string; readonly reason?: string }) =>
      error._tag === "SystemError" && error.reason === "NotFound"
        ? fail("NotFound", at, `${at} does not exist`, error)
        : fail("Unreadable", at, `${at} cannot be read: ${error.message}`, error)

    const listOne = (given: string): Effect.Effect<ReadonlyArray<ExportFile>, ExportFilesError> =>
      Effect.gen(function*() {
        const info = yield* fs.stat(given).pipe(Effect.mapError(platformFailure(given)))
        if (info.type === "Directory") {
          const names = yield* fs.readDirectory(given, { recursive: true }).pipe(Effect.mapError(platformFailure(given)))
          const files = yield* Effect.forEach([...names].sort(), (name) =>
            fs.stat(path.join(given, name)).pipe(
              Effect.mapError(platformFailure(path.join(given, name))),
              Effect.map((stat): ReadonlyArray<ExportFile> =>
                stat.type === "File"
                  ? [{ name, bytes: Number(stat.size), location: { _tag: "File", path: path.join(given, name) } }]
                  : []
              )
            ))
          return files.flat()
        }
        if (given.toLowerCase().endsWith(".zip")) {
          const entries = yield* entriesOf(given)
          return entries.filter((entry) => !entry.fileName.endsWith("/")).map((entry): ExportFile => ({
            name: entry.fileName,
            bytes: entry.uncompressedSize,
            location: { _tag: "ZipEntry", zip: given, entry: entry.fileName }
          }))
        }
        return [{ name: path.basename(given), bytes: Number(info.size), location: { _tag: "File", path: given } }]
      })

    const read = Effect.fn("ExportFiles.read")(function*(file: ExportFile) {
      if (file.bytes > limits.maxFileBytes) return yield* tooLarge(file.name, file.bytes)
      yield* counted(file.name, file.bytes)
      if (file.location._tag === "ZipEntry") return yield* inflated(file.location.zip, file.location.entry)
      const at = file.location.path
      const bytes = yield* fs.readFile(at).pipe(Effect.mapError(platformFailure(at)))
      if (bytes.length > limits.maxFileBytes) return yield* tooLarge(at, bytes.length)
      return { bytes, sha256: sha256Hex(bytes) }
    })

    return {
      list: Effect.fn("ExportFiles.list")(function*(paths: ReadonlyArray<string>) {
        const files = (yield* Effect.forEach(paths, listOne)).flat()
        if (files.length > limits.maxEntries) {
          return yield* fail("TooManyEntries", paths.join(", "), `the paths given hold ${files.length} files, more than the ${limits.maxEntries} an export can have`)
        }
        return files
      }),
      read
    } satisfies typeof ExportFiles.Service
  })

/** Zips (read with yauzl: the central directory first, each entry inflated by zlib as it is read), folders and files on this machine. */
export const layer = (limits: ExportLimits = defaultLimits): Layer.Layer<ExportFiles, never, FileSystem.FileSystem | Path.Path> =>
  Layer.effect(ExportFiles, make(limits))
