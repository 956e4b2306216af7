import type { Catalog } from "./Catalog.js"
import * as Reply from "./Reply.js"
import * as Timeline from "./Timeline.js"
import type { PlayHistoryObject, RecentlyPlayedPage } from "./Wire.js"

export const path = "/v1/me/player/recently-played"

export interface PageRequest {
  readonly baseUrl: string
  readonly query: URLSearchParams
  readonly rawQuery: string
}

const wholeNumber = /^\d{1,16}$/

type Parsed =
  | { readonly _tag: "Ok"; readonly limit: number; readonly after: number | null; readonly before: number | null }
  | { readonly _tag: "Invalid"; readonly message: string }

const parse = (query: URLSearchParams): Parsed => {
  const limitParam = query.get("limit")
  const limit = limitParam === null ? 20 : wholeNumber.test(limitParam) ? Number(limitParam) : Number.NaN
  if (!(limit >= 1 && limit <= 50)) return { _tag: "Invalid", message: "Invalid limit" }
  const after = query.get("after")
  const before = query.get("before")
  if (after !== null && before !== null) return { _tag: "Invalid", message: "Only one of after or before may be specified" }
  if (after !== null && !wholeNumber.test(after)) return { _tag: "Invalid", message: "Invalid after cursor" }
  if (before !== null && !wholeNumber.test(before)) return { _tag: "Invalid", message: "Invalid before cursor" }
  return { _tag: "Ok", limit, after: after === null ? null : Number(after), before: before === null ? null : Number(before) }
}

const item = (catalog: Catalog, play: Timeline.Play): PlayHistoryObject => {
  const track = catalog.tracks[play.trackIndex]
  if (track === undefined) throw new Error(`play refers to missing track ${play.trackIndex}`)
  return { track, played_at: Timeline.playedAt(play), context: play.context }
}

/**
 * One page of the 50-play window, newest first.
 *
 * With `after`, when more than `limit` plays qualify, the page holds the OLDEST of them (the ones
 * right after the cursor) and `next` pages forward from its newest play, so following `next`
 * walks to the present without skipping any play. Spotify's own choice is unknown
 * (test/fixtures/spotify/README.md).
 */
export const page = (request: PageRequest, timeline: Timeline.Timeline, catalog: Catalog): Reply.Reply => {
  const parsed = parse(request.query)
  if (parsed._tag === "Invalid") return Reply.apiError(400, parsed.message)
  const { after, before, limit } = parsed
  const window = Timeline.window(timeline)
  const forward = after !== null
  const qualifying = forward
    ? window.filter((play) => play.playedAtMs > after)
    : window.filter((play) => before === null || play.playedAtMs < before)
  const plays = forward ? qualifying.slice(Math.max(0, qualifying.length - limit)) : qualifying.slice(0, limit)
  const newest = plays[0]
  const oldest = plays[plays.length - 1]
  const base = `${request.baseUrl}${path}`
  const more = qualifying.length > plays.length
  const next = newest === undefined || oldest === undefined || !more
    ? null
    : forward
      ? `${base}?after=${newest.playedAtMs}&limit=${limit}`
      : `${base}?before=${oldest.playedAtMs}&limit=${limit}`
  const body: RecentlyPlayedPage = {
    items: plays.map((play) => item(catalog, play)),
    next,
    cursors: newest === undefined || oldest === undefined
      ? null
      : { after: String(newest.playedAtMs), before: String(oldest.playedAtMs) },
    limit,
    href: request.rawQuery === "" ? base : `${base}?${request.rawQuery}`
  }
  return Reply.json(200, body)
}
