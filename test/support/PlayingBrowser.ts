import { Context, Effect, FiberSet, Layer, Option, Ref } from "effect"
import { Browser, type BrowserShape } from "../../src/services/login/Browser.js"
import { type HttpFailure, type HttpResponse, request } from "../emulator/http.js"

export interface Visit {
  /** The address the login asked the browser to open. */
  readonly opened: URL
  /** Where Spotify's /authorize sent the browser (its 302 Location). */
  readonly sentTo: Option.Option<URL>
  /** What the browser got there, if it went. */
  readonly landed: Option.Option<HttpResponse>
}

export interface BrowserLog {
  /** Every visit, once the visits under way have finished. */
  readonly visits: Effect.Effect<ReadonlyArray<Visit>>
}

export class BrowserVisits extends Context.Tag("test/BrowserVisits")<BrowserVisits, BrowserLog>() {}

/** What the user does with Spotify's redirect: `None` leaves it, `Some` visits (or pastes) it. */
export type Landing = (sentTo: URL) => Effect.Effect<Option.Option<HttpResponse>, HttpFailure>

export const follow: Landing = (sentTo) => Effect.map(request(sentTo.toString()), Option.some)

/** Follows the redirect with another `state`, as a forged or stale answer would carry. */
export const followWithState = (state: string): Landing => (sentTo) => {
  const forged = new URL(sentTo)
  forged.searchParams.set("state", state)
  return follow(forged)
}

/** A hostile page first sends the loopback callback a forged answer, then the browser follows the real one. */
export const forgedThenReal = (forgedState: string): Landing => (sentTo) =>
  Effect.zipWith(followWithState(forgedState)(sentTo), follow(sentTo), (forged, real) =>
    Option.map(real, (response) => ({ ...response, forged: Option.getOrUndefined(forged) })))

/**
 * The test plays the browser: opening the authorize address GETs it from the emulator over
 * HTTP (the user is logged in and consents at once), then `landing` decides what happens with
 * the redirect. `null`: the browser never opens anything.
 */
export const layerPlayingBrowser = (landing: Landing | null = follow) =>
  Layer.scopedContext(Effect.gen(function*() {
    const visits = yield* Ref.make<ReadonlyArray<Visit>>([])
    const running = yield* FiberSet.make()
    const visit = (url: string) =>
      Effect.gen(function*() {
        const opened = new URL(url)
        if (landing === null) return yield* Ref.update(visits, (all) => [...all, { opened, sentTo: Option.none(), landed: Option.none() }])
        const authorize = yield* request(url)
        const sentTo = Option.map(Option.fromNullable(authorize.headers.location), (location) => new URL(location))
        const landed = Option.isSome(sentTo) ? yield* landing(sentTo.value) : Option.none()
        yield* Ref.update(visits, (all) => [...all, { opened, sentTo, landed }])
      }).pipe(Effect.orDie)
    const browser: BrowserShape = { open: (url) => FiberSet.run(running, visit(url)).pipe(Effect.asVoid) }
    const log: BrowserLog = { visits: Effect.zipRight(FiberSet.awaitEmpty(running), Ref.get(visits)) }
    return Context.make(Browser, browser).pipe(Context.add(BrowserVisits, log))
  }))
