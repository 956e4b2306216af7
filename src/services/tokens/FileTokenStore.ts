import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import type { PlatformError } from "@effect/platform/Error"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { nodeCrypto } from "../../domain/LazyBuiltins.js"
import type { StoredToken } from "../../domain/StoredToken.js"
import { decodeStoredToken, encodeStoredToken, TokenStore, TokenStoreError } from "./TokenStore.js"

const ownerOnly = 0o600

const unavailable = (file: string, action: string) => (cause: PlatformError) =>
  new TokenStoreError({ reason: "Unavailable", message: `Could not ${action} the token file ${file}: ${cause.message}`, cause })

const make = (file: string) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const dir = path.dirname(file)

    const writeTemp = (tmp: string, text: string) =>
      Effect.scoped(
        fs.open(tmp, { flag: "wx", mode: ownerOnly }).pipe(
          Effect.tap((handle) => handle.writeAll(new TextEncoder().encode(text))),
          Effect.flatMap((handle) => handle.sync)
        )
      )

    const syncFolder = (folder: string) => Effect.scoped(fs.open(folder, { flag: "r" }).pipe(Effect.flatMap((handle) => handle.sync)))

    /** The token's folder and those above it that do not exist yet, deepest first. */
    const missingFolders = Effect.gen(function*() {
      const missing: Array<string> = []
      for (let folder = dir; folder !== path.dirname(folder) && !(yield* fs.exists(folder)); folder = path.dirname(folder)) {
        missing.push(folder)
      }
      return missing
    })

    const get = Effect.gen(function*() {
      const text = yield* fs.readFileString(file).pipe(
        Effect.map(Option.some),
        Effect.catchIf(
          (error) => error._tag === "SystemError" && error.reason === "NotFound",
          () => Effect.succeed(Option.none<string>())
        ),
        Effect.mapError(unavailable(file, "read"))
      )
      if (Option.isNone(text)) return Option.none<StoredToken>()
      return Option.some(yield* decodeStoredToken(file, text.value))
    }).pipe(Effect.withSpan("TokenStore.get"))

    return {
      get,
      set: Effect.fn("TokenStore.set")(function*(token: StoredToken) {
        const text = yield* encodeStoredToken(token)
        const tmp = path.join(dir, `.${path.basename(file)}.${nodeCrypto().randomUUID()}.tmp`)
        const created = yield* Effect.gen(function*() {
          const missing = yield* missingFolders
          yield* fs.makeDirectory(dir, { recursive: true, mode: 0o700 })
          yield* writeTemp(tmp, text)
          // The mode given to open() is narrowed by the umask but never widened; chmod pins it.
          yield* fs.chmod(tmp, ownerOnly)
          yield* fs.rename(tmp, file)
          return missing
        }).pipe(
          Effect.onError(() => fs.remove(tmp).pipe(Effect.ignore)),
          Effect.mapError(unavailable(file, "write"))
        )
        // The new name, then each folder this write created, into its parent: all survive a crash.
        const folders = [dir, ...created.map((folder) => path.dirname(folder))]
        yield* Effect.forEach(new Set(folders), (folder) => syncFolder(folder).pipe(Effect.ignore), { discard: true })
      })
    } satisfies typeof TokenStore.Service
  })

/**
 * One JSON file at `file`, owner-only (its folder is created when needed), replaced atomically
 * so a crash leaves the old token or the new one, and synced with the folders it created.
 */
export const layer = (file: string): Layer.Layer<TokenStore, never, FileSystem.FileSystem | Path.Path> =>
  Layer.effect(TokenStore, make(file))
