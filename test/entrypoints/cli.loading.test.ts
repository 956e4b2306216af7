import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import * as Emulator from "../../src/emulator/Emulator.js"
import { emulatorEnv, runCli } from "../support/SpawnCli.js"
import { tempDir } from "../support/TempDir.js"

/*
 * Each command loads only what it uses: a command's start is mostly loading code, so `status`
 * must not pay for the HTTP client only `sync` needs, nor for the child processes only `login`
 * starts. Node's own list of the built-in modules a process loaded tells, read as it exits.
 */

const marker = "LOADED:"
const probe = `data:text/javascript,process.on('exit',()=>process.stderr.write('${marker}'+JSON.stringify(process.moduleLoadList)))`

const decodeLoaded = Schema.decodeUnknownSync(Schema.parseJson(Schema.Array(Schema.String)))

const loadedBy = (args: ReadonlyArray<string>, env: Readonly<Record<string, string>>) =>
  runCli(args, { ...env, NODE_OPTIONS: `--import=${probe}` }).pipe(
    Effect.map((result) => {
      expect(result.code).toBe(0)
      const at = result.stderr.lastIndexOf(marker)
      expect(at).toBeGreaterThanOrEqual(0)
      return decodeLoaded(result.stderr.slice(at + marker.length))
    })
  )

const httpClient = (loaded: ReadonlyArray<string>) => loaded.includes("NativeModule https") || loaded.includes("NativeModule _http_client")
const childProcesses = (loaded: ReadonlyArray<string>) => loaded.includes("NativeModule child_process")
// The terminal's line reader: no command prompts, so none opens it (nor process.stdin with it).
const lineReader = (loaded: ReadonlyArray<string>) => loaded.includes("NativeModule readline")
// Hashing and compression: status reads the lake but neither hashes nor compresses anything.
const cryptoOrZlib = (loaded: ReadonlyArray<string>) => loaded.includes("NativeModule crypto") || loaded.includes("NativeModule zlib")

describe("each command loads only what it uses", () => {
  it.scoped("status on a folder lake loads no HTTP client, no child processes, no crypto, no zlib and no line reader; sync loads the HTTP client", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ seed: 31 })
      yield* emulator.listen(3)
      const env = { ...emulatorEnv(emulator), LAKE_URL: yield* tempDir("cli-loading-") }

      const sync = yield* loadedBy(["sync"], env)
      expect(httpClient(sync)).toBe(true)
      expect(childProcesses(sync)).toBe(false)

      const status = yield* loadedBy(["status"], env)
      expect(status.length).toBeGreaterThan(0)
      expect(httpClient(status)).toBe(false)
      expect(childProcesses(status)).toBe(false)
      expect(cryptoOrZlib(status)).toBe(false)
      expect(cryptoOrZlib(sync)).toBe(true)
      expect(lineReader(status)).toBe(false)
      expect(lineReader(sync)).toBe(false)
    }))
})
