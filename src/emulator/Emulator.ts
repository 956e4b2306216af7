import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"
import type * as Scope from "effect/Scope"
import * as Accounts from "./Accounts.js"
import * as Catalog from "./Catalog.js"
import { type ExportOptions, exportFiles, type PackageFile } from "./Export.js"
import * as FaultQueue from "./Fault.js"
import type { Fault } from "./Fault.js"
import type { RecordedRequest } from "./RecordedRequest.js"
import * as Router from "./Router.js"
import * as Server from "./Server.js"
import * as SwitchDefaults from "./Switches.js"
import type { Switches } from "./Switches.js"
import * as Timeline from "./Timeline.js"

export type { ExportOptions, PackageFile } from "./Export.js"
export type { Fault } from "./Fault.js"
export type { RecordedRequest } from "./RecordedRequest.js"
export type { Switches } from "./Switches.js"

export interface EmulatorOptions {
  /** Seeds the catalog and the timeline (default 1). */
  readonly seed?: number
  /** Virtual time of the first play (default 2026-01-05T08:00:00.000Z). */
  readonly startMs?: number
  readonly clientId?: string
  readonly clientSecret?: string
  /** The valid refresh token issued at start. */
  readonly refreshToken?: string
  /** Default 0: the OS picks. Always binds 127.0.0.1. */
  readonly port?: number
}

export interface EmulatedPlay {
  readonly playedAtMs: number
  readonly trackUri: string
  /** played_at is serialised without milliseconds; playedAtMs is then a multiple of 1000. */
  readonly wholeSecond: boolean
}

export interface Emulator {
  /** Serves both the Web API (`/v1/...`) and the accounts service (`/api/token`, `/authorize`). */
  readonly url: string
  readonly listen: (count: number) => Effect.Effect<ReadonlyArray<EmulatedPlay>>
  readonly addPlay: (play: { readonly playedAtMs: number; readonly trackIndex?: number }) => Effect.Effect<EmulatedPlay>
  /** Ground truth: every play ever, oldest first. */
  readonly history: Effect.Effect<ReadonlyArray<EmulatedPlay>>
  /** The files of the privacy exports Spotify would send for the timeline so far (zip them with `zipPackage`). */
  readonly exportFiles: (options?: ExportOptions) => Effect.Effect<ReadonlyArray<PackageFile>>
  readonly fault: (fault: Fault) => Effect.Effect<void>
  readonly configure: (switches: Partial<Switches>) => Effect.Effect<void>
  readonly expireAccessTokens: Effect.Effect<void>
  readonly requests: Effect.Effect<ReadonlyArray<RecordedRequest>>
}

export const defaultStartMs = Date.parse("2026-01-05T08:00:00.000Z")

/** The scope the bootstrap refresh token was authorised with: what the sync asks for. */
export const initialScope = "user-read-recently-played"

/** Starts the server on 127.0.0.1; it closes, cutting any hanging request, when the scope closes. */
export const make = (options: EmulatorOptions = {}): Effect.Effect<Emulator, Server.EmulatorListenError, Scope.Scope> =>
  Effect.gen(function*() {
    const seed = options.seed ?? 1
    const startMs = options.startMs ?? defaultStartMs
    const catalog = Catalog.make(seed)
    const timeline = yield* Ref.make(Timeline.empty(seed))
    const switches = yield* Ref.make(SwitchDefaults.defaults)
    const accounts = yield* Ref.make(Accounts.initial(options.refreshToken ?? "emulator-refresh-token", initialScope))
    const faults = yield* Ref.make<ReadonlyArray<FaultQueue.QueuedFault>>([])
    const log = yield* Ref.make<ReadonlyArray<RecordedRequest>>([])

    const emulated = (play: Timeline.Play): EmulatedPlay => {
      const track = catalog.tracks[play.trackIndex]
      if (track === undefined) throw new Error(`play refers to missing track ${play.trackIndex}`)
      return { playedAtMs: play.playedAtMs, trackUri: track.uri, wholeSecond: play.wholeSecond }
    }

    const handle = Router.make({
      clientId: options.clientId ?? "emulator-client",
      clientSecret: options.clientSecret ?? "emulator-secret",
      catalog,
      timeline,
      switches,
      accounts,
      faults,
      log
    })
    const url = yield* Server.listen(options.port ?? 0, handle)

    return {
      url,
      listen: Effect.fn("Emulator.listen")(function*(count: number) {
        const shares = yield* Ref.get(switches)
        const added = yield* Ref.modify(timeline, (current) =>
          Timeline.listen(current, catalog, Math.max(0, Math.floor(count)), shares, startMs))
        return added.map(emulated)
      }),
      addPlay: Effect.fn("Emulator.addPlay")(function*(play: { readonly playedAtMs: number; readonly trackIndex?: number }) {
        const added = yield* Ref.modify(timeline, (current) => Timeline.insert(current, catalog, play))
        return emulated(added)
      }),
      history: Effect.map(Ref.get(timeline), (current) => current.plays.map(emulated)),
      exportFiles: (exportOptions?: ExportOptions) =>
        Effect.map(Ref.get(timeline), (current) => exportFiles(catalog, current.plays, seed, startMs, exportOptions)),
      fault: (fault: Fault) => Ref.update(faults, (queue) => FaultQueue.enqueue(queue, fault)),
      configure: (changes: Partial<Switches>) => Ref.update(switches, (current) => ({ ...current, ...changes })),
      expireAccessTokens: Ref.update(accounts, Accounts.expireAll),
      requests: Ref.get(log)
    }
  })
