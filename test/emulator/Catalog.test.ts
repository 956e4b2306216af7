import { describe, expect, it } from "@effect/vitest"
import * as Catalog from "../../src/emulator/Catalog.js"

const catalog = Catalog.make(1)
const spotifyTracks = catalog.tracks.filter((track) => !track.is_local)
const localTracks = catalog.tracks.filter((track) => track.is_local)
const base62Id = /^[0-9A-Za-z]{22}$/

describe("Catalog", () => {
  it("is big enough to look like a real library", () => {
    expect(catalog.artists.length).toBeGreaterThanOrEqual(30)
    expect(catalog.albums.length).toBeGreaterThanOrEqual(60)
    expect(spotifyTracks.length).toBeGreaterThanOrEqual(300)
    expect(localTracks.length).toBeGreaterThan(0)
    expect(catalog.playlists.length).toBeGreaterThan(0)
  })

  it("has unique 22-character base62 ids and uris built from them", () => {
    const ids = [
      ...catalog.artists.map(({ artist }) => artist.id),
      ...catalog.albums.map(({ album }) => album.id),
      ...spotifyTracks.map((track) => track.id)
    ]
    for (const id of ids) expect(id).toMatch(base62Id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const track of spotifyTracks) {
      expect(track.uri).toBe(`spotify:track:${track.id}`)
      expect(track.href).toBe(`https://api.spotify.com/v1/tracks/${track.id}`)
      expect(track.external_urls.spotify).toBe(`https://open.spotify.com/track/${track.id}`)
      expect(track.album.uri).toBe(`spotify:album:${track.album.id}`)
      for (const artist of track.artists) expect(artist.uri).toBe(`spotify:artist:${artist.id}`)
    }
  })

  it("has plausible track fields", () => {
    for (const track of spotifyTracks) {
      expect(track.duration_ms).toBeGreaterThanOrEqual(60_000)
      expect(track.duration_ms).toBeLessThanOrEqual(600_000)
      expect(track.external_ids.isrc).toMatch(/^[A-Z]{2}[A-Z0-9]{3}\d{7}$/)
      expect(track.popularity).toBeGreaterThanOrEqual(0)
      expect(track.popularity).toBeLessThanOrEqual(100)
      expect(track.preview_url).toBeNull()
      expect(track.type).toBe("track")
      expect(track.track_number).toBeGreaterThanOrEqual(1)
      expect(track.track_number).toBeLessThanOrEqual(track.album.total_tracks)
      expect(track.album.images.map((image) => image.width)).toEqual([640, 300, 64])
      expect(track.album.release_date).toMatch(/^\d{4}(-\d\d(-\d\d)?)?$/)
    }
    for (const { album, trackIndices } of catalog.albums) expect(trackIndices).toHaveLength(album.total_tracks)
    expect(new Set(spotifyTracks.map((track) => track.name)).size).toBeGreaterThan(100)
    expect(spotifyTracks.some((track) => track.explicit)).toBe(true)
    expect(spotifyTracks.some((track) => track.artists.length > 1)).toBe(true)
  })

  it("encodes local-file uris like Spotify: form-encoded parts, + for spaces, seconds last", () => {
    expect(Catalog.localUri("Kofi & Friends", "Live in Accra", "Highlife Jam", 203))
      .toBe("spotify:local:Kofi+%26+Friends:Live+in+Accra:Highlife+Jam:203")
    expect(Catalog.localUri("A:B", "It's", "Song (take 3)", 1)).toBe("spotify:local:A%3AB:It%27s:Song+%28take+3%29:1")
    for (const track of localTracks) {
      expect(track.id).toBeNull()
      expect(track.href).toBeNull()
      expect(track.uri).toMatch(/^spotify:local:[^: ]*:[^: ]*:[^: ]+:\d+$/)
    }
  })

  it("is the same for the same seed and different for another", () => {
    expect(Catalog.make(1)).toEqual(catalog)
    expect(Catalog.make(2).tracks[0]?.id).not.toBe(catalog.tracks[0]?.id)
  })
})
