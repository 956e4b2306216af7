import { describe, expect, it } from "@effect/vitest"
import { NodeContext } from "@effect/platform-node"
import { Effect, Layer } from "effect"
import { strToU8, zipSync } from "fflate"
import { execFileSync } from "node:child_process"
import { createHash } from "node:crypto"
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs"
import { type ExportLimits, ExportFiles, defaultLimits } from "../../../src/services/exportfiles/ExportFiles.js"
import * as LocalExportFiles from "../../../src/services/exportfiles/LocalExportFiles.js"
import * as MemoryStorage from "../../../src/services/storage/MemoryStorage.js"
import { failureOf } from "../../support/FailureOf.js"
import { filesOf, importWorld, listener, runImport, scratch, writeFolder } from "../../support/ImportKit.js"

const withFiles = (limits: ExportLimits = defaultLimits) =>
  Effect.provide(LocalExportFiles.layer(limits).pipe(Layer.provide(NodeContext.layer)))

const history = "Spotify Extended Streaming History/Streaming_History_Audio_2019_0.json"
const records = (msPlayed: number) => strToU8(JSON.stringify([{ ts: "2019-03-01T10:00:00Z", ms_played: msPlayed }]))

/** `bytes` with every run of `from` replaced by `to`, of the same length: a zip damaged by hand. */
const patched = (bytes: Uint8Array, from: string, to: string) => {
  const [a, b] = [Buffer.from(from), Buffer.from(to)]
  expect(a.length).toBe(b.length)
  const out = Buffer.from(bytes)
  let at = out.indexOf(a)
  expect(at).toBeGreaterThanOrEqual(0)
  for (; at >= 0; at = out.indexOf(a, at + 1)) b.copy(out, at)
  return out
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex")

// Links, pipes and devices: what a POSIX file system has.
const posix = process.platform !== "win32"

describe("LocalExportFiles: zips", () => {
  it.scoped("a zip holding two entries of the same name is refused as damaged, naming the entry", () =>
    Effect.gen(function*() {
      const dir = yield* scratch
      // fflate writes distinct names only: the second is renamed to the first in the zip's bytes.
      const twice = patched(
        zipSync({ [history]: records(1), [history.replace("_0.json", "_1.json")]: records(2) }),
        "_2019_1.json",
        "_2019_0.json"
      )
      const zip = `${dir}/my_spotify_data.zip`
      writeFileSync(zip, twice)
      const error = failureOf(yield* Effect.exit(Effect.flatMap(ExportFiles, (files) => files.list([zip]))))
      expect(error).toMatchObject({ _tag: "ExportFilesError", reason: "CorruptZip", path: zip })
      expect(error?.message).toBe(`${zip} cannot be read: it is not a zip or it is damaged (it holds two entries named ${history})`)
    }).pipe(withFiles()))

  it.scoped("a zip naming an entry outside itself (an absolute path, ../) is refused, saying so", () =>
    Effect.gen(function*() {
      const dir = yield* scratch
      const files = yield* ExportFiles
      for (const [unsafe, said] of [["/tmp/Streaming_History_Audio_2019_0.json", "absolute path"], ["../Streaming_History_Audio_2019_0.json", "invalid relative path"]] as const) {
        // Written with a safe name of the same length, then renamed in the zip's bytes.
        const safe = `x${"y".repeat(unsafe.length - 1)}`
        const zip = `${dir}/${said.replaceAll(" ", "-")}.zip`
        writeFileSync(zip, patched(zipSync({ [safe]: records(1) }), safe, unsafe))
        const error = failureOf(yield* Effect.exit(files.list([zip])))
        expect(error).toMatchObject({ reason: "CorruptZip", path: zip })
        expect(error?.message).toBe(`${zip} is refused: it names an entry outside itself (${said}: ${unsafe}), which no export does`)
      }
    }).pipe(withFiles()))

  it.scoped("an entry whose bytes do not match its CRC-32 is refused as damaged; an intact one is read", () =>
    Effect.gen(function*() {
      const dir = yield* scratch
      const files = yield* ExportFiles
      // Stored, not deflated: a flipped byte still "inflates", to the wrong bytes, of the declared size.
      const good = zipSync({ [history]: [records(200_000), { level: 0 }], "ReadMe.txt": strToU8("hello") })
      writeFileSync(`${dir}/good.zip`, good)
      writeFileSync(`${dir}/flipped.zip`, patched(good, "200000", "200001"))

      const intact = yield* files.list([`${dir}/good.zip`])
      expect(intact.map((file) => file.name)).toEqual([history, "ReadMe.txt"])
      const content = yield* files.read(intact[0]!)
      expect(Buffer.from(content.bytes)).toEqual(Buffer.from(records(200_000)))
      expect(content.sha256).toBe(sha256(records(200_000)))

      const [flipped] = yield* files.list([`${dir}/flipped.zip`])
      const error = failureOf(yield* Effect.exit(files.read(flipped!)))
      expect(error).toMatchObject({ _tag: "ExportFilesError", reason: "CorruptZip", path: `${dir}/flipped.zip` })
      expect(error?.message).toMatch(
        new RegExp(`^${dir}/flipped\\.zip's entry ${history} is damaged: its checksum does not match \\(the zip says [0-9a-f]{8}, its bytes give [0-9a-f]{8}\\)$`)
      )
    }).pipe(withFiles()))

  it.scoped("a zip kept open between listing and reading: listed again after it changed, its new entries are read; read unlisted, it is opened", () =>
    Effect.gen(function*() {
      const dir = yield* scratch
      const zip = `${dir}/my_spotify_data.zip`
      const files = yield* ExportFiles
      writeFileSync(zip, zipSync({ [history]: records(1) }))
      const [first] = yield* files.list([zip])
      expect((yield* files.read(first!)).sha256).toBe(sha256(records(1)))
      writeFileSync(zip, zipSync({ "ReadMe.txt": strToU8("a longer zip than before"), [history]: records(22) }))
      const [, second] = yield* files.list([zip])
      expect(second).toEqual({ ...first, bytes: records(22).length })
      expect((yield* files.read(second!)).sha256).toBe(sha256(records(22)))

      writeFileSync(`${dir}/other.zip`, zipSync({ [history]: records(333) }))
      const unlisted = { name: history, bytes: records(333).length, location: { _tag: "ZipEntry", zip: `${dir}/other.zip`, entry: history } } as const
      expect((yield* files.read(unlisted)).sha256).toBe(sha256(records(333)))
      const missing = failureOf(yield* Effect.exit(files.read({ ...unlisted, location: { ...unlisted.location, entry: "gone.json" } })))
      expect(missing).toMatchObject({ reason: "NotFound", message: `${dir}/other.zip: gone.json is no longer in the zip` })
    }).pipe(withFiles()))

  // Each entry was found by scanning the central directory from the start (2,000 entries took 140 s);
  // the zip is now opened once and each entry read from that handle. Times: docs/benchmarks.md.
  it.scoped("every entry of a zip of 2,000 is read, each once, from one opening of the zip", () =>
    Effect.gen(function*() {
      const dir = yield* scratch
      const count = 2_000
      const entries = Object.fromEntries(Array.from({ length: count }, (_, i) => [
        `Spotify Extended Streaming History/Streaming_History_Audio_2019_${i}.json`,
        records(i)
      ]))
      writeFileSync(`${dir}/many.zip`, zipSync(entries))
      const files = yield* ExportFiles
      const listed = yield* files.list([`${dir}/many.zip`])
      const contents = yield* Effect.forEach(listed, files.read)
      expect(contents).toHaveLength(count)
      expect(Buffer.from(contents[1_234]!.bytes)).toEqual(Buffer.from(records(1_234)))
    }).pipe(withFiles()), 120_000)
})

describe.runIf(posix)("LocalExportFiles: only regular files are read", () => {
  // stat says 0 bytes for a device: /dev/zero was read for ever, the size checked only after the read.
  it.scoped("a link named like a history file that leads to /dev/zero, given or in a folder, is refused before anything is read", () =>
    Effect.gen(function*() {
      const dir = yield* scratch
      const link = `${dir}/Streaming_History_Audio_2019_0.json`
      symlinkSync("/dev/zero", link)
      const files = yield* ExportFiles
      const given = yield* files.list([link])
      const inFolder = yield* files.list([dir])
      expect(inFolder).toEqual(given)
      expect(given).toEqual([{ name: "Streaming_History_Audio_2019_0.json", bytes: 0, location: { _tag: "File", path: link } }])
      const error = failureOf(yield* Effect.exit(files.read(given[0]!)))
      expect(error).toMatchObject({ _tag: "ExportFilesError", reason: "Unreadable", path: link })
      expect(error?.message).toBe(`${link} is a device, not a regular file: only files (or links to them) are read`)
    }).pipe(withFiles({ ...defaultLimits, maxFileBytes: 1_000 })), 10_000)

  it.scoped("a named pipe, given as a history file or as a zip, is refused without waiting for a writer", () =>
    Effect.gen(function*() {
      const dir = yield* scratch
      execFileSync("mkfifo", [`${dir}/Streaming_History_Audio_2019_0.json`, `${dir}/my_spotify_data.zip`])
      const files = yield* ExportFiles
      const [pipe] = yield* files.list([`${dir}/Streaming_History_Audio_2019_0.json`])
      const error = failureOf(yield* Effect.exit(files.read(pipe!)))
      expect(error).toMatchObject({ _tag: "ExportFilesError", reason: "Unreadable" })
      expect(error?.message).toBe(`${dir}/Streaming_History_Audio_2019_0.json is a named pipe, not a regular file: only files (or links to them) are read`)
      const zip = failureOf(yield* Effect.exit(files.list([`${dir}/my_spotify_data.zip`])))
      expect(zip?.message).toBe(`${dir}/my_spotify_data.zip is a named pipe, not a regular file: only files (or links to them) are read`)
    }).pipe(withFiles()), 10_000)

  it.scoped.runIf(existsSync("/proc/self/status"))("a file holding more than its stat says stops being read once past the limit", () =>
    Effect.gen(function*() {
      const dir = yield* scratch
      // A regular file of 0 bytes by stat, about 1,400 by reading: what a growing file looks like.
      symlinkSync("/proc/self/status", `${dir}/Streaming_History_Audio_2019_0.json`)
      const files = yield* ExportFiles
      const [status] = yield* files.list([dir])
      expect(status?.bytes).toBe(0)
      const error = failureOf(yield* Effect.exit(files.read(status!)))
      expect(error).toMatchObject({ _tag: "ExportFilesError", reason: "TooLarge" })
      expect(error?.message).toBe(`${dir}/Streaming_History_Audio_2019_0.json holds more than the 100 bytes any file of an export has`)
    }).pipe(withFiles({ ...defaultLimits, maxFileBytes: 100 })))

  it.scoped("a link given on its own, to a regular file, is followed and read", () =>
    Effect.gen(function*() {
      const dir = yield* scratch
      writeFileSync(`${dir}/real.json`, records(7))
      symlinkSync(`${dir}/real.json`, `${dir}/Streaming_History_Audio_2019_0.json`)
      const files = yield* ExportFiles
      const [linked] = yield* files.list([`${dir}/Streaming_History_Audio_2019_0.json`])
      expect(linked?.bytes).toBe(records(7).length)
      expect((yield* files.read(linked!)).sha256).toBe(sha256(records(7)))
    }).pipe(withFiles()))
})

describe.runIf(posix)("LocalExportFiles: folders are walked without following links", () => {
  it.scoped("loops of links, a link out of the folder and dangling links are listed, never followed", () =>
    Effect.gen(function*() {
      const dir = yield* scratch
      const elsewhere = yield* scratch
      writeFileSync(`${elsewhere}/Streaming_History_Audio_2020_0.json`, records(3))
      mkdirSync(`${dir}/sub`)
      writeFileSync(`${dir}/sub/Streaming_History_Audio_2019_0.json`, records(1))
      symlinkSync(".", `${dir}/sub/here`)
      symlinkSync("loop-b", `${dir}/loop-a`)
      symlinkSync("loop-a", `${dir}/loop-b`)
      symlinkSync(elsewhere, `${dir}/outside`)
      symlinkSync("nowhere", `${dir}/notes.txt`)
      const files = yield* ExportFiles
      const listed = yield* files.list([dir])
      expect(listed.map((file) => file.name)).toEqual([
        "loop-a",
        "loop-b",
        "notes.txt",
        "outside",
        "sub/Streaming_History_Audio_2019_0.json",
        "sub/here"
      ])
      expect(listed[4]).toEqual({
        name: "sub/Streaming_History_Audio_2019_0.json",
        bytes: records(1).length,
        location: { _tag: "File", path: `${dir}/sub/Streaming_History_Audio_2019_0.json` }
      })
    }).pipe(withFiles()))

  it.scoped("a dangling link or a loop named like a history file is listed, and refused when read, naming what it is", () =>
    Effect.gen(function*() {
      const dir = yield* scratch
      symlinkSync(`${dir}/gone.json`, `${dir}/Streaming_History_Audio_2019_0.json`)
      symlinkSync("Streaming_History_Audio_2019_1.json", `${dir}/Streaming_History_Audio_2019_1.json`)
      const files = yield* ExportFiles
      const [dangling, loop] = yield* files.list([dir])
      const gone = failureOf(yield* Effect.exit(files.read(dangling!)))
      expect(gone).toMatchObject({ _tag: "ExportFilesError", reason: "NotFound" })
      expect(gone?.message).toBe(`${dir}/Streaming_History_Audio_2019_0.json is a symbolic link to ${dir}/gone.json, which does not exist`)
      const looping = failureOf(yield* Effect.exit(files.read(loop!)))
      expect(looping).toMatchObject({ _tag: "ExportFilesError", reason: "Unreadable" })
      expect(looping?.message).toBe(`${dir}/Streaming_History_Audio_2019_1.json is a symbolic link that leads back to itself (a loop of links)`)
    }).pipe(withFiles()))

  it.scoped("an import of a folder holding links to /, loops and dangling links imports its history and leaves the links alone", () =>
    Effect.gen(function*() {
      const dir = yield* scratch
      yield* writeFolder(dir, filesOf(listener(5, 20)))
      symlinkSync("/", `${dir}/root`)
      symlinkSync(".", `${dir}/loop`)
      symlinkSync("nowhere", `${dir}/notes.txt`)
      const summary = yield* runImport([dir])
      expect(summary.files.length).toBeGreaterThan(0)
      expect(summary.imported).toBeGreaterThan(0)
      expect(summary.ignored).toEqual(expect.arrayContaining(["loop", "notes.txt", "root"]))
      expect(summary.ignored.filter((name) => name.startsWith("root/") || name.startsWith("loop/"))).toEqual([])
    }).pipe(Effect.provide(importWorld(MemoryStorage.layer))))
})
