import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import { type EpochMs, InstantFromIso, isoOf } from "../../domain/Instant.js"
import { keepsOut, Lease, runsTooLong } from "../../domain/Lease.js"
import { newerFormatOf, RunFailure, SyncState, syncStateFormat } from "../../domain/SyncState.js"
import { replaceDamaged } from "./DamagedObjects.js"
import { damagedPrefix } from "./LakeLayout.js"
import { decodeStored, encodeJson, readStored } from "./LakeCodec.js"
import { ObjectStorage, StorageError } from "../storage/ObjectStorage.js"

export interface VersionedState {
  readonly state: SyncState
  readonly version: string
}

/** Another run holds the lake: this one steps aside rather than write beside it. */
export class LakeBusy extends Data.TaggedError("LakeBusy")<{
  readonly message: string
  readonly heldUntilMs: number
}> {}

export interface StateStoreShape {
  readonly read: Effect.Effect<Option.Option<VersionedState>, StorageError>
  /** Compare-and-swap: `expected` is the version read (none when there was no state); `Conflict` if it moved. */
  readonly write: (state: SyncState, expected: Option.Option<string>) => Effect.Effect<string, StorageError>
  /**
   * When watching began: recorded once (create-only) in its own object, before the first play
   * lands, so losing `state/sync.json` does not lose it. The first call records `proposed`, and
   * so does a call that finds the record damaged (kept aside under `state/damaged/`), which would
   * otherwise stop every run.
   */
  readonly startWatching: (proposed: EpochMs) => Effect.Effect<EpochMs, StorageError>
  /** When watching began, as recorded by `startWatching`: none before a first sync. */
  readonly watchingSince: Effect.Effect<Option.Option<EpochMs>, StorageError>
  /** The last failed run, kept apart from the sync state so a failure never moves it. */
  readonly lastFailure: Effect.Effect<Option.Option<RunFailure>, StorageError>
  readonly noteFailure: (failure: RunFailure) => Effect.Effect<void, StorageError>
  /**
   * Holds the lake for `ttl`, at most `longestLeaseMs` (released when the scope closes); a crashed
   * holder's lease lapses by itself.
   */
  readonly lease: (holder: string, ttl: Duration.Duration) => Effect.Effect<void, StorageError | LakeBusy, Scope.Scope>
  /**
   * `lease`, for work of no known length (an import): renewed every third of `ttl` while the
   * scope lasts, so a killed holder frees the lake within `ttl`. A renewal that finds the lease
   * taken over (written under a clock far ahead, or by hand) is logged, and renewing stops.
   */
  readonly leaseRenewed: (holder: string, ttl: Duration.Duration) => Effect.Effect<void, StorageError | LakeBusy, Scope.Scope>
  /**
   * Keeps a `state/sync.json` that does not decode as it was, under
   * `state/damaged/sync-<atMs>.json` (create-only), and writes `replacement` in its place, so
   * that the state can begin again from the lake instead of every run failing on it. Only for a
   * run that holds the lease. The key it was kept under, and the version of the state now. A
   * state in a format newer than this version's is not damaged: refused, and left where it is.
   */
  readonly setAsideDamaged: (
    atMs: number,
    replacement: SyncState
  ) => Effect.Effect<{ readonly kept: string; readonly version: string }, StorageError>
  /** What runs set aside under `state/damaged/` (theirs or the lake's, see `setAsideDamaged`), oldest first. */
  readonly keptDamaged: Effect.Effect<ReadonlyArray<string>, StorageError>
}

const stateKey = "state/sync.json"
const leaseKey = "state/lease.json"
const failureKey = "state/last-failure.json"
const watchingKey = "state/watching.json"

const Watching = Schema.Struct({ since: InstantFromIso })

const keptAt = (key: string) => Number(/-(\d+)\.json$/.exec(key)?.[1] ?? 0)

const busy = (lease: Lease) =>
  new LakeBusy({
    message: `another run (a sync or an import) holds the lake until ${isoOf(lease.expires_at_ms)}; this run stepped aside`,
    heldUntilMs: lease.expires_at_ms
  })

const conflictAsBusy = (lease: Lease) => (error: StorageError): Effect.Effect<never, StorageError | LakeBusy> =>
  Effect.fail(error.reason === "Conflict" ? busy(lease) : error)

const makeStateStore = Effect.gen(function*() {
  const storage = yield* ObjectStorage

  const read = storage.get(stateKey).pipe(
    Effect.flatMap(Option.match({
      onNone: () => Effect.succeedNone,
      onSome: (object) =>
        decodeStored(SyncState, stateKey, object.body).pipe(
          // The version read only when asked: an adapter may compute it (a folder hashes the file), and status never asks.
          Effect.map((state) => Option.some({ state, get version() { return object.etag } }))
        )
    })),
    Effect.withSpan("StateStore.read")
  )

  const write = Effect.fn("StateStore.write")(function*(state: SyncState, expected: Option.Option<string>) {
    const body = encodeJson(SyncState, state)
    const written = yield* Option.match(expected, {
      onNone: () => storage.putIfAbsent(stateKey, body),
      onSome: (etag) => storage.putIfMatch(stateKey, body, etag)
    })
    return written.etag
  })

  const readWatching = readStored(storage, Watching, watchingKey).pipe(Effect.map(Option.map((watching) => watching.since)))

  const startWatching = Effect.fn("StateStore.startWatching")(function*(proposed: EpochMs) {
    const recorded = yield* readWatching.pipe(
      // Damaged, it would stop every run: kept aside, and recorded again from what the run proposes.
      Effect.catchIf((error) => error.reason === "Invalid", (error) =>
        Effect.gen(function*() {
          const { kept } = yield* replaceDamaged(storage, watchingKey, "watching", yield* Clock.currentTimeMillis, encodeJson(Watching, { since: proposed }))
          yield* Effect.logWarning(`${error.message}: kept as ${kept}, and recorded again as ${isoOf(proposed)}`)
          return Option.some(proposed)
        }))
    )
    if (Option.isSome(recorded)) return recorded.value
    // Created: it says what was proposed. Another run got there first: its word stands.
    return yield* storage.putIfAbsent(watchingKey, encodeJson(Watching, { since: proposed })).pipe(
      Effect.as(proposed),
      Effect.catchIf((error) => error.reason === "Conflict", () => Effect.map(readWatching, Option.getOrElse(() => proposed)))
    )
  })

  const lastFailure = readStored(storage, RunFailure, failureKey).pipe(Effect.withSpan("StateStore.lastFailure"))

  const noteFailure = Effect.fn("StateStore.noteFailure")(function*(failure: RunFailure) {
    yield* storage.put(failureKey, encodeJson(RunFailure, failure))
  })

  const acquire = (holder: string, ttl: Duration.Duration) =>
    Effect.gen(function*() {
      const now = yield* Clock.currentTimeMillis
      const mine: Lease = { holder, acquired_at_ms: now, expires_at_ms: now + Duration.toMillis(ttl) }
      const body = encodeJson(Lease, mine)
      const current = yield* storage.get(leaseKey)
      if (Option.isNone(current)) {
        const created = yield* storage.putIfAbsent(leaseKey, body).pipe(Effect.catchAll(conflictAsBusy(mine)))
        return { holder, acquiredAtMs: now, etag: created.etag }
      }
      // A lease nobody can read guards nothing: taken over (compare-and-swap) rather than stop every run.
      const held = yield* decodeStored(Lease, leaseKey, current.value.body).pipe(
        Effect.map(Option.some),
        Effect.catchAll((error) => Effect.logWarning(`${error.message}; taking the lake over`).pipe(Effect.as(Option.none<Lease>())))
      )
      if (Option.isSome(held)) {
        if (keepsOut(held.value, holder, now)) return yield* busy(held.value)
        if (runsTooLong(held.value, now)) {
          yield* Effect.logWarning(
            `the lake's lease runs until ${isoOf(held.value.expires_at_ms)}, longer than any run holds it ` +
              "(written under a clock ahead of this one?); taking the lake over"
          )
        }
      }
      const taken = yield* storage.putIfMatch(leaseKey, body, current.value.etag).pipe(Effect.catchAll(conflictAsBusy(mine)))
      return { holder, acquiredAtMs: now, etag: taken.etag }
    })

  const release = (held: { readonly holder: string; readonly acquiredAtMs: number; readonly etag: string }) =>
    Clock.currentTimeMillis.pipe(
      Effect.flatMap((now) =>
        storage.putIfMatch(
          leaseKey,
          encodeJson(Lease, { holder: held.holder, acquired_at_ms: held.acquiredAtMs, expires_at_ms: now, released_at_ms: now }),
          held.etag
        )
      ),
      Effect.catchAll((error) => Effect.logWarning(`could not release the lake lease: ${error.message}`))
    )

  const lease = (holder: string, ttl: Duration.Duration) =>
    Effect.acquireRelease(acquire(holder, ttl), release).pipe(Effect.asVoid, Effect.withSpan("StateStore.lease"))

  const leaseRenewed = (holder: string, ttl: Duration.Duration) =>
    Effect.gen(function*() {
      const held = yield* Effect.acquireRelease(Effect.flatMap(acquire(holder, ttl), Ref.make), (ref) => Effect.flatMap(Ref.get(ref), release))
      // Whole or not at all: the lease is released after the last renewal, with the version it wrote.
      const renew = Effect.uninterruptible(Effect.gen(function*() {
        const current = yield* Ref.get(held)
        const now = yield* Clock.currentTimeMillis
        const renewed: Lease = { holder, acquired_at_ms: current.acquiredAtMs, expires_at_ms: now + Duration.toMillis(ttl) }
        const written = yield* storage.putIfMatch(leaseKey, encodeJson(Lease, renewed), current.etag)
        yield* Ref.set(held, { ...current, etag: written.etag })
      }))
      yield* renew.pipe(
        Effect.delay(Duration.divide(ttl, 3).pipe(Option.getOrElse(() => ttl))),
        Effect.forever,
        Effect.catchAll((error) => Effect.logWarning(`the lake's lease could no longer be renewed: ${error.message}`)),
        Effect.forkScoped
      )
    }).pipe(Effect.withSpan("StateStore.leaseRenewed"))

  /** A state in a format newer than this version's is not damaged: refused, and left where it is. */
  const fromNewerVersion = (body: string) => {
    const newer = newerFormatOf(body)
    return newer === undefined ? undefined : new StorageError({
      reason: "Invalid",
      key: stateKey,
      message: `${stateKey} was written by a newer spotify-pipeline (format ${newer}; this one reads up to ${syncStateFormat}): ` +
        "upgrade this one, or run the newer one"
    })
  }

  const setAsideDamaged = Effect.fn("StateStore.setAsideDamaged")(function*(atMs: number, replacement: SyncState) {
    return yield* replaceDamaged(storage, stateKey, "sync", atMs, encodeJson(SyncState, replacement), fromNewerVersion)
  })

  return {
    read,
    write,
    startWatching,
    watchingSince: readWatching,
    lastFailure,
    noteFailure,
    lease,
    leaseRenewed,
    setAsideDamaged,
    keptDamaged: storage.list(damagedPrefix).pipe(
      // Named `<what>-<ms>.json`: ordered by when they were set aside.
      Effect.map((keys) => [...keys].sort((a, b) => keptAt(a) - keptAt(b))),
      Effect.withSpan("StateStore.keptDamaged")
    )
  } satisfies StateStoreShape
})

/** `state/sync.json` and `state/lease.json` in the lake, both written with compare-and-swap, and the last failure beside them. */
export class StateStore extends Context.Tag("spotify-pipeline/StateStore")<StateStore, StateStoreShape>() {
  /** Over the lake's ObjectStorage (memory, folder or S3). */
  static readonly layer = Layer.effect(StateStore, makeStateStore)
}
