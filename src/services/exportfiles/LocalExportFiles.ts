import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Ref from "effect/Ref"
import type { Dirent } from "node:fs"
import * as NodeFs from "node:fs/promises"
import * as yauzl from "yauzl"
import { formatOfName } from "../../domain/exports/ExportFormat.js"
import { sha256Hex } from "../../domain/Sha256.js"
import { codeOf } from "../storage/NodeCall.js"
import { kindText, openFlags, typeOf, upTo } from "./DiskFile.js"
import {
  defaultLimits,
  type ExportContent,
  type ExportFile,
  ExportFiles,
  ExportFilesError,
  type ExportLimits
} from "./ExportFiles.js"
import { inflate, type OpenZip } from "./ZipEntries.js"
import { withThousands } from "../../domain/Thousands.js"

const reasonText = (cause: unknown) => cause instanceof Error ? cause.message : String(cause)

/** yauzl's words for an entry named outside the zip (`/etc/passwd`, `../x`): never read, and said so plainly. */
const unsafeName = /^(absolute path|invalid relative path): /

const size = (bytes: number) => `${withThousands(bytes)} bytes`

const hex = (crc: number) => crc.toString(16).padStart(8, "0")

const make = (limits: ExportLimits) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const readSoFar = yield* Ref.make(0)

    const fail = (reason: ExportFilesError["reason"], at: string, message: string, cause?: unknown) =>
      new ExportFilesError({ reason, path: at, message, ...(cause === undefined ? {} : { cause }) })

    const corrupt = (zip: string, what: string) => (cause: unknown) =>
      unsafeName.test(reasonText(cause))
        ? fail("CorruptZip", zip, `${zip} is refused: it names an entry outside itself (${reasonText(cause)}), which no export does`, cause)
        : fail("CorruptZip", zip, `${zip}${what} cannot be read: it is not a zip or it is damaged (${reasonText(cause)})`, cause)

    const notAFile = (at: string, type: FileSystem.File.Type) =>
      fail("Unreadable", at, `${at} is ${kindText[type]}, not a regular file: only files (or links to them) are read`)

    const tooLarge = (at: string, bytes: number) =>
      fail("TooLarge", at, `${at} is ${size(bytes)}, more than the ${size(limits.maxFileBytes)} any file of an export has`)

    const counted = (at: string, bytes: number) =>
      Ref.updateAndGet(readSoFar, (n) => n + bytes).pipe(
        Effect.filterOrFail(
          (total) => total <= limits.maxTotalBytes,
          () => fail("TooLarge", at, `reading ${at} takes the import past ${size(limits.maxTotalBytes)}, more than any export holds`)
        )
      )

    // The zips listed (or read) so far, each kept open until the service's scope ends; opened one at a time.
    const zips = new Map<string, OpenZip>()
    const opening = yield* Effect.makeSemaphore(1)
    yield* Effect.addFinalizer(() =>
      Effect.sync(() => {
        for (const { handle } of zips.values()) handle.close()
        zips.clear()
      })
    )

    /**
     * The zip's files by name, refusing a zip with too many entries (a bomb) or two entries of the
     * same name: a second entry would never be read (entries are found by name), and its rows lost.
     * Spotify never makes such a zip.
     */
    const centralDirectory = (zip: string, handle: yauzl.ZipFile) =>
      Effect.gen(function*() {
        if (handle.entryCount > limits.maxEntries) {
          return yield* fail("TooManyEntries", zip, `${zip} holds ${handle.entryCount} entries, more than the ${limits.maxEntries} an export can have`)
        }
        const all = yield* Effect.tryPromise({
          try: async () => {
            const entries: Array<yauzl.Entry> = []
            for await (const entry of handle.eachEntry()) entries.push(entry)
            return entries
          },
          catch: corrupt(zip, "")
        })
        const entries = new Map<string, yauzl.Entry>()
        for (const entry of all) {
          if (entry.fileName.endsWith("/")) continue
          if (entries.has(entry.fileName)) return yield* corrupt(zip, "")(`it holds two entries named ${entry.fileName}`)
          entries.set(entry.fileName, entry)
        }
        return entries
      })

    /** Opens the zip afresh (it may have changed since it was last listed) and keeps it open in place of any earlier opening. */
    const reopened = (zip: string) =>
      Effect.uninterruptibleMask((restore) =>
        Effect.gen(function*() {
          const handle = yield* Effect.tryPromise({
            try: () => yauzl.openPromise(zip, { lazyEntries: true, autoClose: false }),
            catch: corrupt(zip, "")
          })
          const entries = yield* restore(centralDirectory(zip, handle)).pipe(
            Effect.onExit((exit) => Exit.isSuccess(exit) ? Effect.void : Effect.sync(() => handle.close()))
          )
          const open: OpenZip = { handle, entries }
          // An earlier opening's streams still being read keep it alive: yauzl counts them.
          zips.get(zip)?.handle.close()
          zips.set(zip, open)
          return open
        })
      )

    /** The zip as listed last; opened now if it was not (an entry read without its zip listed first). */
    const kept = (zip: string) =>
      opening.withPermits(1)(Effect.suspend(() => {
        const open = zips.get(zip)
        return open === undefined ? reopened(zip) : Effect.succeed(open)
      }))

    const inflated = (zip: string, name: string) =>
      Effect.gen(function*() {
        const where = `${zip}: ${name}`
        const { entries, handle } = yield* kept(zip)
        const entry = entries.get(name)
        if (entry === undefined) return yield* fail("NotFound", where, `${where} is no longer in the zip`)
        // Read from the one open zip: reading N entries is linear, and only this entry's bytes are held.
        const content = yield* Effect.tryPromise({ try: () => inflate(handle, entry), catch: corrupt(zip, `'s entry ${name}`) })
        if (content.crc32 !== entry.crc32) {
          return yield* fail(
            "CorruptZip",
            zip,
            `${zip}'s entry ${name} is damaged: its checksum does not match (the zip says ${hex(entry.crc32)}, its bytes give ${hex(content.crc32)})`
          )
        }
        return { bytes: content.bytes, sha256: content.sha256 } satisfies ExportContent
      })

    const platformFailure = (at: string) => (error: { readonly message: string; readonly _tag: string; readonly reason?: string }) =>
      error._tag === "SystemError" && error.reason === "NotFound"
        ? fail("NotFound", at, `${at} does not exist`, error)
        : fail("Unreadable", at, `${at} cannot be read: ${error.message}`, error)

    /** A failure of node:fs at `at`, said plainly: a dangling link and a loop of links are named as such. */
    const nodeFailure = (at: string) => (cause: unknown) =>
      Effect.gen(function*() {
        const code = codeOf(cause)
        if (code === "ELOOP") return fail("Unreadable", at, `${at} is a symbolic link that leads back to itself (a loop of links)`, cause)
        if (code !== "ENOENT") return fail("Unreadable", at, `${at} cannot be read: ${reasonText(cause)}`, cause)
        const target = yield* Effect.promise(() => NodeFs.readlink(at).catch(() => undefined))
        return target === undefined
          ? fail("NotFound", at, `${at} does not exist`, cause)
          : fail("NotFound", at, `${at} is a symbolic link to ${target}, which does not exist`, cause)
      }).pipe(Effect.flip)

    const tryNode = <A>(at: string, run: () => Promise<A>) =>
      Effect.tryPromise({ try: run, catch: (cause) => cause }).pipe(Effect.catchAll(nodeFailure(at)))

    /**
     * A file's bytes, refused unless it is a regular file once a link is followed: a device or a named
     * pipe named like a history file is never read (stat says 0 bytes for /dev/zero, which never ends;
     * a pipe would block for ever). The size is checked before reading, and reading stops past the limit.
     */
    const fromDisk = (at: string) =>
      Effect.acquireUseRelease(
        tryNode(at, () => NodeFs.open(at, openFlags)),
        (handle) =>
          Effect.gen(function*() {
            const stats = yield* tryNode(at, () => handle.stat())
            if (!stats.isFile()) return yield* notAFile(at, typeOf(stats))
            if (stats.size > limits.maxFileBytes) return yield* tooLarge(at, stats.size)
            yield* counted(at, stats.size)
            const bytes = yield* tryNode(at, () => upTo(handle, limits.maxFileBytes + 1, stats.size))
            if (bytes.length > limits.maxFileBytes) {
              return yield* fail("TooLarge", at, `${at} holds more than the ${size(limits.maxFileBytes)} any file of an export has`)
            }
            return { bytes, sha256: sha256Hex(bytes) } satisfies ExportContent
          }),
        (handle) => Effect.promise(() => handle.close().catch(() => undefined))
      )

    /**
     * What a folder's entry declares, never failing (a file that cannot be looked at is refused when
     * read, if it is read at all): a link named like a history file is followed, as it is when read;
     * anything else is looked at as it is, never followed.
     */
    const declaredSize = (at: string, entry: Dirent) =>
      Effect.promise(() =>
        (entry.isSymbolicLink() && formatOfName(entry.name) !== undefined ? NodeFs.stat(at) : NodeFs.lstat(at))
          .then((stats) => Number(stats.size), () => 0)
      )

    /**
     * The files under a folder, walked without following links to folders: a loop of links, a link
     * to `/` or a dangling link cannot stop the listing or take it out of the folder. Everything but
     * a folder is listed (a link, a pipe: named like no history file, it is left alone like any
     * other such file).
     */
    const walk = (root: string, under: string, seen: Ref.Ref<number>): Effect.Effect<ReadonlyArray<ExportFile>, ExportFilesError> =>
      Effect.gen(function*() {
        const dir = under === "" ? root : path.join(root, under)
        const entries = yield* tryNode(dir, () => NodeFs.readdir(dir, { withFileTypes: true }))
        // Stopped as soon as the folder holds more than an export: a home folder given by mistake
        // is refused at once, not after a walk of every file in it.
        const count = yield* Ref.updateAndGet(seen, (n) => n + entries.filter((entry) => !entry.isDirectory()).length)
        if (count > limits.maxEntries) {
          return yield* fail(
            "TooManyEntries",
            root,
            `${root} holds more than ${withThousands(limits.maxEntries)} files, more than an export can have: give the export's zip or the folder it was unzipped into`
          )
        }
        const files = yield* Effect.forEach(entries, (entry): Effect.Effect<ReadonlyArray<ExportFile>, ExportFilesError> => {
          const name = under === "" ? entry.name : path.join(under, entry.name)
          const at = path.join(root, name)
          return entry.isDirectory()
            ? walk(root, name, seen)
            : Effect.map(declaredSize(at, entry), (bytes) => [{ name, bytes, location: { _tag: "File", path: at } }])
        })
        return files.flat()
      })

    const listOne = (given: string): Effect.Effect<ReadonlyArray<ExportFile>, ExportFilesError> =>
      Effect.gen(function*() {
        const info = yield* fs.stat(given).pipe(Effect.mapError(platformFailure(given)))
        if (info.type === "Directory") {
          const files = yield* walk(given, "", yield* Ref.make(0))
          return [...files].sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
        }
        if (given.toLowerCase().endsWith(".zip")) {
          // yauzl opens without O_NONBLOCK: a named pipe would block it for ever.
          if (info.type !== "File") return yield* notAFile(given, info.type)
          const { entries } = yield* opening.withPermits(1)(reopened(given))
          return [...entries.values()].map((entry): ExportFile => ({
            name: entry.fileName,
            bytes: entry.uncompressedSize,
            location: { _tag: "ZipEntry", zip: given, entry: entry.fileName }
          }))
        }
        return [{ name: path.basename(given), bytes: Number(info.size), location: { _tag: "File", path: given } }]
      })

    const read = Effect.fn("ExportFiles.read")(function*(file: ExportFile) {
      if (file.bytes > limits.maxFileBytes) return yield* tooLarge(file.name, file.bytes)
      if (file.location._tag === "File") return yield* fromDisk(file.location.path)
      yield* counted(file.name, file.bytes)
      return yield* inflated(file.location.zip, file.location.entry)
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

/**
 * Zips (read with yauzl: the central directory once, kept with the zip open until the layer's scope
 * ends; each entry inflated by zlib as it is read and its CRC-32 checked), folders (walked without
 * following links) and files (regular ones only) on this machine.
 */
export const layer = (limits: ExportLimits = defaultLimits): Layer.Layer<ExportFiles, never, FileSystem.FileSystem | Path.Path> =>
  Layer.scoped(ExportFiles, make(limits))
