import { Context, Effect, Layer, Option, Ref, Schema } from "effect"
import { RecentlyPlayedPage } from "../../src/domain/RecentlyPlayedPage.js"
import { SpotifyClient, type SpotifyClientShape } from "../../src/services/spotify/SpotifyClient.js"
import { SpotifyAuth, type SpotifyAuthShape } from "../../src/services/spotify/SpotifyAuth.js"
import type { SpotifyAuthRevoked } from "../../src/services/spotify/SpotifyAuth.js"
import type { SpotifyClientError } from "../../src/services/spotify/SpotifyClient.js"

/** A play in a test timeline: `wholeSecond` plays are sent without milliseconds, as Spotify sometimes does. */
export interface TimelinePlay {
  readonly playedAtMs: number
  readonly track: number
  readonly wholeSecond?: boolean
}

const playedAtText = (play: TimelinePlay) => {
  const text = new Date(play.playedAtMs).toISOString()
  return play.wholeSecond === true ? text.replace(/\.\d{3}Z$/, "Z") : text
}

const track = (n: number) => ({
  id: `track${n}`,
  uri: `spotify:track:track${n}`,
  name: `Song ${n}`,
  duration_ms: 180_000 + n,
  is_local: false,
  artists: [{ id: `artist${n % 7}`, name: `Artist ${n % 7}`, uri: `spotify:artist:artist${n % 7}` }],
  album: { id: `album${n % 11}`, name: `Album ${n % 11}`, uri: `spotify:album:album${n % 11}` }
})

/** The body Spotify would send for the newest `limit` of `plays` (no cursor params). */
export const pageBody = (plays: ReadonlyArray<TimelinePlay>, limit = 50): string => {
  const newest = [...plays].sort((a, b) => b.playedAtMs - a.playedAtMs).slice(0, limit)
  const items = newest.map((play) => ({
    track: track(play.track),
    played_at: playedAtText(play),
    context: play.track % 3 === 0 ? null : { type: "album", uri: `spotify:album:album${play.track % 11}`, href: null }
  }))
  const oldest = newest[newest.length - 1]
  const href = `https://api.spotify.com/v1/me/player/recently-played?limit=${limit}`
  return JSON.stringify({
    href,
    limit,
    next: oldest === undefined ? null : `https://api.spotify.com/v1/me/player/recently-played?before=${oldest.playedAtMs}&limit=${limit}`,
    cursors: oldest === undefined ? null : { after: String(newest[0]?.playedAtMs), before: String(oldest.playedAtMs) },
    items
  })
}

export interface FakeSpotify {
  /** Plays that happened so far; the fake serves the newest 50 of them. */
  readonly timeline: Ref.Ref<ReadonlyArray<TimelinePlay>>
  /** Failures to answer with, one per call, before serving pages again. */
  readonly failures: Ref.Ref<ReadonlyArray<SpotifyClientError | SpotifyAuthRevoked>>
  readonly calls: Ref.Ref<number>
  /** Bodies to serve as they are, one per call, before pages of the timeline again (a hostile Spotify). */
  readonly bodies: Ref.Ref<ReadonlyArray<string>>
  /** When the user authorised the refresh token the fake auth holds; none at first. */
  readonly authorisedAtMs: Ref.Ref<Option.Option<number>>
  /**
   * When set, the next fetch stands for a refresh whose rotated token the store refused: from then
   * on the fake auth reports this as SpotifyAuth does (never before the run reads its page).
   */
  readonly refuseRotation: Ref.Ref<Option.Option<string>>
}

export class FakeSpotifyTag extends Context.Tag("test/FakeSpotify")<FakeSpotifyTag, FakeSpotify>() {}

const decodePage = Schema.decodeUnknownSync(Schema.parseJson(RecentlyPlayedPage))

/** An in-memory SpotifyClient over a scripted timeline (and its auth), plus the handle a test drives it with. */
export const layerFakeSpotify = Layer.effectContext(
  Effect.gen(function*() {
    const fake: FakeSpotify = {
      timeline: yield* Ref.make<ReadonlyArray<TimelinePlay>>([]),
      failures: yield* Ref.make<ReadonlyArray<SpotifyClientError | SpotifyAuthRevoked>>([]),
      calls: yield* Ref.make(0),
      bodies: yield* Ref.make<ReadonlyArray<string>>([]),
      authorisedAtMs: yield* Ref.make(Option.none<number>()),
      refuseRotation: yield* Ref.make(Option.none<string>())
    }
    const unsavedRotation = yield* Ref.make(Option.none<string>())
    const client: SpotifyClientShape = {
      recentlyPlayed: (limit) =>
        Effect.gen(function*() {
          yield* Ref.update(fake.calls, (n) => n + 1)
          const refused = yield* Ref.getAndSet(fake.refuseRotation, Option.none())
          if (Option.isSome(refused)) yield* Ref.set(unsavedRotation, refused)
          const [failure, ...rest] = yield* Ref.get(fake.failures)
          if (failure !== undefined) {
            yield* Ref.set(fake.failures, rest)
            return yield* Effect.fail(failure)
          }
          const [scripted, ...later] = yield* Ref.get(fake.bodies)
          if (scripted !== undefined) yield* Ref.set(fake.bodies, later)
          const body = scripted ?? pageBody(yield* Ref.get(fake.timeline), limit)
          return { page: decodePage(body), body }
        }),
      me: Effect.succeed({ id: "fake.listener", display_name: "Fake Listener" })
    }
    const auth: SpotifyAuthShape = {
      accessToken: Effect.dieMessage("the fake SpotifyClient needs no access token"),
      invalidate: Effect.void,
      authorisedAt: Ref.get(fake.authorisedAtMs),
      unsavedRotation: Ref.get(unsavedRotation)
    }
    return Context.make(SpotifyClient, client).pipe(Context.add(SpotifyAuth, auth), Context.add(FakeSpotifyTag, fake))
  })
)
