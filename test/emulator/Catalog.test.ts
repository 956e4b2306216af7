import { describe, expect, it } from "@effect/vitest"
import * as Catalog from "../../src/emulator/Catalog.js"
import * as Names from "../../src/emulator/Names.js"

const catalog = Catalog.make(1)
const spotifyTracks = catalog.tracks.filter((track) => !track.is_local)
const localTracks = catalog.tracks.filter((track) => track.is_local)
const base62Id = /^[0-9A-Za-z]{22}$/

describe("Catalog", () => {
  it("is the size of a real library: 40 artists, every album's tracks, each local file and playlist once", () => {
    expect({
      artists: catalog.artists.length,
      albums: catalog.albums.length,
      spotifyTracks: spotifyTracks.length,
      localTracks: localTracks.length,
      playlists: catalog.playlists.length
    }).toEqual({ artists: 40, albums: 74, spotifyTracks: 628, localTracks: Names.localFiles.length, playlists: Names.playlistNames.length })
    expect(catalog.albums.flatMap(({ trackIndices }) => trackIndices).sort((a, b) => a - b))
      .toEqual(spotifyTracks.map((_, index) => index))
    expect(catalog.localTrackIndices).toEqual(localTracks.map((_, index) => spotifyTracks.length + index))
    expect(localTracks.map((track) => [track.artists[0]?.name, track.album.name, track.name]))
      .toEqual(Names.localFiles.map((file) => [file.artist, file.album, file.title]))
    expect(catalog.playlists.map((playlist) => playlist.name)).toEqual(Names.playlistNames)
    for (const { trackIndices } of catalog.playlists) {
      expect(trackIndices.length).toBeGreaterThanOrEqual(20)
      expect(trackIndices.length).toBeLessThanOrEqual(50)
      for (const index of trackIndices) expect(catalog.tracks[index]?.is_local).toBe(false)
    }
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
    expect({
      distinctNames: new Set(spotifyTracks.map((track) => track.name)).size,
      explicit: spotifyTracks.filter((track) => track.explicit).length,
      featuring: spotifyTracks.filter((track) => track.artists.length > 1).length
    }).toEqual({ distinctNames: 394, explicit: 70, featuring: 97 })
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
