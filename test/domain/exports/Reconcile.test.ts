import { describe, expect, it } from "@effect/vitest"
import type { ExportRow } from "../../../src/domain/exports/ExportRow.js"
import { planLinks } from "../../../src/domain/exports/LinkPlan.js"
import { pairAccountWithExtended, pairAccountWithPlays, pairExtendedWithPlays } from "../../../src/domain/exports/Reconcile.js"
import { TrackId, TrackUri } from "../../../src/domain/Ids.js"
import { EpochMs } from "../../../src/domain/Instant.js"
import { type Play, playKey } from "../../../src/domain/Play.js"

const t = Date.UTC(2026, 0, 5, 12, 0, 0)
const uri = "spotify:track:4iV5W9uYEdYUVa79Axb7Rh"

const play = (atMs: number, track = uri, name = "Tidal", artist = "Mara Lindqvist"): Play => ({
  played_at: new Date(atMs).toISOString(),
  played_at_ms: EpochMs.make(atMs),
  track_id: TrackId.make(track.split(":")[2] ?? ""),
  track_uri: TrackUri.make(track),
  track_name: name,
  duration_ms: 200_000,
  artist_ids: ["a1"],
  artist_names: [artist],
  album_id: "al1",
  album_name: "Salt",
  context_type: null,
  context_uri: null,
  is_local: false,
  source: "api"
})

const row = (id: string, atMs: number, fields: Partial<ExportRow> = {}): ExportRow => ({
  row_id: id,
  source: "extended",
  ended_at: new Date(atMs).toISOString(),
  ended_at_ms: atMs,
  ended_at_precision: "s",
  ms_played: 200_000,
  kind: "track",
  track_uri: uri,
  track_name: "Tidal",
  artist_name: "Mara Lindqvist",
  album_name: "Salt",
  episode_uri: null,
  episode_name: null,
  show_name: null,
  audiobook_uri: null,
  audiobook_title: null,
  audiobook_chapter_uri: null,
  audiobook_chapter_title: null,
  reason_start: null,
  reason_end: null,
  skipped: null,
  shuffle: null,
  offline: null,
  offline_at: null,
  incognito: null,
  platform: null,
  conn_country: null,
  source_file: "Streaming_History_Audio_2026_0.json",
  ...fields
})

const account = (id: string, minuteMs: number, fields: Partial<ExportRow> = {}) =>
  row(id, minuteMs, { source: "account", ended_at_precision: "min", track_uri: null, album_name: null, ...fields })

const pairs = <R extends { readonly row_id: string }, T>(found: ReadonlyArray<{ readonly row: R; readonly target: T }>, id: (t: T) => string | number) =>
  found.map((pair) => [pair.row.row_id, id(pair.target)])

describe("reconciliation", () => {
  it("an extended row and a live play of the same track are one listen within the tolerance, both ways, and not a millisecond beyond", () => {
    const live = [play(t)]
    for (const delta of [90_000, -90_000, 0, 1_000]) {
      expect(pairExtendedWithPlays([row("r", t + delta)], live, 90_000)).toHaveLength(1)
    }
    for (const delta of [90_001, -90_001]) {
      expect(pairExtendedWithPlays([row("r", t + delta)], live, 90_000)).toHaveLength(0)
    }
    expect(pairExtendedWithPlays([row("r", t + 30_000)], live, 20_000)).toHaveLength(0)
    expect(pairExtendedWithPlays([row("r", t, { track_uri: "spotify:track:other" })], live, 90_000)).toHaveLength(0)
  })

  it("repeats of the same track pair nearest first, one to one", () => {
    const live = [play(t), play(t + 60_000)]
    const rows = [row("early", t + 50_000), row("late", t + 62_000), row("extra", t + 64_000)]
    expect(pairs(pairExtendedWithPlays(rows, live, 90_000), (p) => p.played_at_ms)).toEqual([
      ["late", t + 60_000],
      ["early", t]
    ])
  })

  it("a row without a URI (a local file) pairs by normalised names and artist", () => {
    const local = play(t, "spotify:local:Mara+Lindqvist:Bootlegs:Rain+on+the+Roof:200", "Rain on the Roof")
    const found = pairExtendedWithPlays([row("r", t + 2_000, { track_uri: null, track_name: "  rain ON the roof", artist_name: "MARA  Lindqvist" })], [local], 90_000)
    expect(found.map((pair) => pair.method)).toEqual(["names"])
    expect(pairExtendedWithPlays([row("r", t, { track_uri: null, track_name: "Rain on the Roof", artist_name: "Someone Else" })], [local], 90_000)).toEqual([])
  })

  it("an account row pairs by names within its minute (truncated or rounded), widened by 10 s, and no further", () => {
    const minute = Date.UTC(2026, 0, 5, 22, 44)
    const inside = [-40_000, 0, 30_000, 59_999, 70_000]
    const outside = [-40_001, 70_001]
    for (const offset of inside) expect(pairAccountWithPlays([account("a", minute)], [play(minute + offset)])).toHaveLength(1)
    for (const offset of outside) expect(pairAccountWithPlays([account("a", minute)], [play(minute + offset)])).toHaveLength(0)
    expect(pairAccountWithPlays([account("a", minute, { artist_name: "Other" })], [play(minute)])).toHaveLength(0)
  })

  it("an account row and an extended row of the same listen pair by names within the minute", () => {
    const minute = Date.UTC(2024, 7, 2, 22, 44)
    const found = pairAccountWithExtended([account("a", minute)], [row("x", minute + 41_000), row("y", minute + 80_000)])
    expect(pairs(found, (target) => target.row_id)).toEqual([["a", "x"]])
  })

  it("links never take a side twice: rows and plays already linked stay out; extended rows outrank account rows", () => {
    const live = [play(t), play(t + 300_000)]
    const minute = t - (t % 60_000)
    const first = planLinks({
      source: "extended",
      rows: [row("x1", t + 1_000), row("x2", t + 301_000)],
      plays: live,
      others: [account("a1", minute)],
      existing: [],
      toleranceMs: 90_000,
      linkedBy: "sha-extended"
    })
    expect(first.links.map((link) => [link.export_row_id, link.target, link.play_key ?? link.extended_row_id])).toEqual([
      ["x1", "play", playKey(live[0]!)],
      ["x2", "play", playKey(live[1]!)],
      ["a1", "extended", "x1"]
    ])
    expect(first.links.map((link) => link.delta_ms)).toEqual([1_000, 1_000, minute - t - 1_000])
    const again = planLinks({
      source: "account",
      rows: [account("a1", minute)],
      plays: live,
      others: [row("x1", t + 1_000)],
      existing: first.links,
      toleranceMs: 90_000,
      linkedBy: "sha-account"
    })
    expect(again.outranked).toEqual(new Set(["a1"]))
    expect(again.links.map((link) => [link.export_row_id, link.target, link.play_key])).toEqual([["a1", "play", playKey(live[0]!)]])
    const third = planLinks({
      source: "account",
      rows: [account("a1", minute)],
      plays: live,
      others: [row("x1", t + 1_000)],
      existing: [...first.links, ...again.links],
      toleranceMs: 90_000,
      linkedBy: "sha-account"
    })
    expect(third.links).toEqual([])
    expect(third.linkedLive).toEqual(new Set(["a1"]))
  })
})
