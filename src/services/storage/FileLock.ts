import type * as FileSystem from "@effect/platform/FileSystem"
import * as Clock from "effect/Clock"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import { hostname } from "node:os"
import { nodeCrypto } from "../../domain/LazyBuiltins.js"

/** The lock file names another live writer; retried until `busyFor`, then reported. */
export class LockBusy extends Data.TaggedError("LockBusy")<{ readonly lockPath: string }> {}

export interface FileLockOptions {
  /** A lock older than this was left by a crashed writer and may be broken. */
  readonly staleAfter: Duration.DurationInput
  /** How long to wait for a live writer before giving up. */
  readonly busyFor: Duration.DurationInput
}

const LockContent = Schema.parseJson(Schema.Struct({
  token: Schema.String,
  created_ms: Schema.Number,
  /** Which process on which machine holds it: one on this machine that no longer runs left it behind. */
  pid: Schema.optional(Schema.Int),
  host: Schema.optional(Schema.String)
}))
const decodeLock = Schema.decodeUnknownOption(LockContent)
const encodeLock = Schema.encodeSync(LockContent)

/** Whether process `pid` runs on this machine (signal 0 only asks; EPERM means it runs as someone else). */
const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return typeof error === "object" && error !== null && "code" in error && error.code === "EPERM"
  }
}

/**
 * An exclusive lock file created with O_EXCL ("wx"). It holds a token, its creation time (from
 * `Clock`, so a stale lock is judged by the same clock that wrote it) and its process and host:
 * a lock whose process is gone from this machine is broken at once, any other after `staleAfter`.
 */
export const makeFileLock = (fs: FileSystem.FileSystem, options: FileLockOptions) => {
  const staleAfterMs = Duration.toMillis(options.staleAfter)
  const retry = Schedule.exponential("5 millis").pipe(
    Schedule.union(Schedule.spaced("200 millis")),
    Schedule.upTo(options.busyFor)
  )

  const create = (lockPath: string, token: string) =>
    Clock.currentTimeMillis.pipe(
      Effect.flatMap((now) =>
        fs.writeFileString(lockPath, encodeLock({ token, created_ms: now, pid: process.pid, host: hostname() }), {
          flag: "wx",
          mode: 0o600
        })
      ),
      Effect.as(true),
      Effect.catchIf(
        (error) => error._tag === "SystemError" && error.reason === "AlreadyExists",
        () => Effect.succeed(false)
      )
    )

  const readLock = (lockPath: string) =>
    fs.readFileString(lockPath).pipe(Effect.option)

  const isStale = (lockPath: string, content: string) =>
    Effect.gen(function*() {
      const now = yield* Clock.currentTimeMillis
      const lock = decodeLock(content)
      if (Option.isSome(lock)) {
        const { created_ms, host, pid } = lock.value
        const deadHere = pid !== undefined && host === hostname() && !isRunning(pid)
        return deadHere || now - created_ms >= staleAfterMs
      }
      // A writer that crashed between creating the file and writing it leaves it empty: use mtime.
      const mtime = yield* fs.stat(lockPath).pipe(
        Effect.map((info) => Option.map(info.mtime, (at) => at.getTime())),
        Effect.orElseSucceed(() => Option.none<number>())
      )
      return Option.exists(mtime, (at) => now - at >= staleAfterMs)
    })

  // Break by renaming aside first: only one breaker wins the rename, and it checks that what it
  // moved is the stale lock it judged, putting back a fresh lock it took by mistake.
  const breakIfStale = (lockPath: string) =>
    Effect.gen(function*() {
      const observed = yield* readLock(lockPath)
      if (Option.isNone(observed)) return
      if (!(yield* isStale(lockPath, observed.value))) return
      const aside = `${lockPath}.${nodeCrypto().randomUUID()}.stale`
      const moved = yield* fs.rename(lockPath, aside).pipe(Effect.as(true), Effect.orElseSucceed(() => false))
      if (!moved) return
      const content = yield* readLock(aside)
      if (Option.isSome(content) && content.value !== observed.value) {
        yield* fs.link(aside, lockPath).pipe(Effect.ignore)
      }
      yield* fs.remove(aside).pipe(Effect.ignore)
    })

  const acquire = (lockPath: string, token: string) =>
    create(lockPath, token).pipe(
      Effect.flatMap((created) =>
        created ? Effect.void : breakIfStale(lockPath).pipe(
          Effect.zipRight(create(lockPath, token)),
          Effect.flatMap((retried) => retried ? Effect.void : Effect.fail(new LockBusy({ lockPath })))
        )
      ),
      Effect.retry({ schedule: retry, while: (error) => error._tag === "LockBusy" })
    )

  const release = (lockPath: string, token: string) =>
    readLock(lockPath).pipe(
      Effect.flatMap((content) =>
        Option.isSome(content) && Option.exists(decodeLock(content.value), (lock) => lock.token === token)
          ? fs.remove(lockPath)
          : Effect.void
      ),
      Effect.ignore
    )

  return <A, E, R>(lockPath: string, use: Effect.Effect<A, E, R>) =>
    Effect.suspend(() => {
      const token = nodeCrypto().randomUUID()
      return Effect.acquireUseRelease(acquire(lockPath, token), () => use, () => release(lockPath, token))
    })
}
