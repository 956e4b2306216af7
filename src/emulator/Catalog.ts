import * as Names from "./Names.js"
import { Rng } from "./Rng.js"
import { apiBase, openBase } from "./Wire.js"
import type { AlbumObject, ArtistObject, ContextObject, ImageObject, TrackObject } from "./Wire.js"

export interface CatalogArtist {
  readonly artist: ArtistObject
  readonly context: ContextObject
  readonly trackIndices: ReadonlyArray<number>
}
export interface CatalogAlbum {
  readonly album: AlbumObject
  readonly context: ContextObject
  readonly trackIndices: ReadonlyArray<number>
}
export interface Playlist {
  readonly name: string
  readonly context: ContextObject
  readonly trackIndices: ReadonlyArray<number>
}
export interface Catalog {
  readonly artists: ReadonlyArray<CatalogArtist>
  readonly albums: ReadonlyArray<CatalogAlbum>
  /** Every track a play can refer to: Spotify tracks first, then local files. */
  readonly tracks: ReadonlyArray<TrackObject>
  readonly localTrackIndices: ReadonlyArray<number>
  readonly playlists: ReadonlyArray<Playlist>
}

const markets = ["AT", "AU", "BR", "CA", "DE", "ES", "FR", "GB", "JP", "MX", "NL", "SE", "US"]
const isrcCountries = ["US", "GB", "SE", "DE", "FR", "NL", "CA", "AU", "JP", "NG"]
const artistCount = 40
const minimumAlbums = 64

const artistObject = (id: string, name: string): ArtistObject & { readonly id: string } => ({
  external_urls: { spotify: `${openBase}/artist/${id}` },
  href: `${apiBase}/artists/${id}`,
  id,
  name,
  type: "artist",
  uri: `spotify:artist:${id}`
})

// Spotify's real catch-all artist for compilations.
const variousArtists = artistObject("0LyfQWJT6nXafLPZqxe9Of", "Various Artists")

const contextOf = (type: ContextObject["type"], id: string, href: string): ContextObject => ({
  type,
  href,
  external_urls: { spotify: `${openBase}/${type}/${id}` },
  uri: `spotify:${type}:${id}`
})

const images = (rng: Rng): ReadonlyArray<ImageObject> => {
  const hash = rng.hex(40)
  return [
    { height: 640, url: `https://i.scdn.co/image/ab67616d0000b273${hash}`, width: 640 },
    { height: 300, url: `https://i.scdn.co/image/ab67616d00001e02${hash}`, width: 300 },
    { height: 64, url: `https://i.scdn.co/image/ab67616d00004851${hash}`, width: 64 }
  ]
}

const releaseDate = (rng: Rng): Pick<AlbumObject, "release_date" | "release_date_precision"> => {
  const year = rng.int(1967, 2025)
  const month = String(rng.int(1, 12)).padStart(2, "0")
  const day = String(rng.int(1, 28)).padStart(2, "0")
  const precision = rng.next()
  return precision < 0.86
    ? { release_date: `${year}-${month}-${day}`, release_date_precision: "day" }
    : precision < 0.95
      ? { release_date: `${year}-${month}`, release_date_precision: "month" }
      : { release_date: `${year}`, release_date_precision: "year" }
}

const duration = (rng: Rng): number =>
  rng.chance(0.85) ? rng.int(150_000, 290_000) : rng.int(95_000, 540_000)

/** `spotify:local:` parts are form-encoded (spaces as `+`), as Spotify's own clients write them. */
export const localUri = (artist: string, album: string, title: string, seconds: number): string => {
  const encode = (part: string) => new URLSearchParams({ _: part }).toString().slice(2)
  return `spotify:local:${encode(artist)}:${encode(album)}:${encode(title)}:${seconds}`
}

const uniqueNames = (rng: Rng, count: number, generate: (rng: Rng) => string): ReadonlyArray<string> => {
  const names = new Set<string>()
  while (names.size < count) names.add(generate(rng))
  return [...names]
}

const localTrack = (rng: Rng, file: (typeof Names.localFiles)[number]): TrackObject => {
  const seconds = rng.int(100, 420)
  return {
    album: {
      album_type: null,
      artists: [],
      available_markets: [],
      external_urls: {},
      href: null,
      id: null,
      images: [],
      name: file.album,
      release_date: null,
      release_date_precision: null,
      total_tracks: 0,
      type: "album",
      uri: null
    },
    artists: [{ external_urls: {}, href: null, id: null, name: file.artist, type: "artist", uri: null }],
    available_markets: [],
    disc_number: 0,
    duration_ms: seconds * 1000,
    explicit: false,
    external_ids: {},
    external_urls: {},
    href: null,
    id: null,
    is_local: true,
    name: file.title,
    popularity: 0,
    preview_url: null,
    track_number: 0,
    type: "track",
    uri: localUri(file.artist, file.album, file.title, seconds)
  }
}

export const make = (seed: number): Catalog => {
  const rng = Rng.seeded(seed * 7919 + 17)
  const artists = uniqueNames(rng, artistCount, Names.artistName).map((name) => artistObject(rng.id(), name))
  const tracksByArtist = artists.map((): Array<number> => [])
  const tracks: Array<TrackObject> = []
  const albums: Array<CatalogAlbum> = []

  const addAlbum = (artistIndex: number) => {
    const artist = artists[artistIndex] ?? variousArtists
    const kind = rng.next()
    const albumType = kind < 0.6 ? "album" : kind < 0.93 ? "single" : "compilation"
    const trackCount = albumType === "album" ? rng.int(8, 14) : albumType === "single" ? rng.int(1, 4) : rng.int(10, 18)
    const id = rng.id()
    const album: AlbumObject = {
      album_type: albumType,
      artists: [albumType === "compilation" ? variousArtists : artist],
      available_markets: markets,
      external_urls: { spotify: `${openBase}/album/${id}` },
      href: `${apiBase}/albums/${id}`,
      id,
      images: images(rng),
      name: albumType === "single" ? Names.trackName(rng) : Names.albumName(rng),
      ...releaseDate(rng),
      total_tracks: trackCount,
      type: "album",
      uri: `spotify:album:${id}`
    }
    const year = (album.release_date ?? "2000").slice(2, 4)
    const trackIndices: Array<number> = []
    for (let n = 1; n <= trackCount; n++) {
      const mainIndex = albumType === "compilation" ? rng.int(0, artists.length - 1) : artistIndex
      const main = artists[mainIndex] ?? artist
      const featured = rng.chance(0.15) ? rng.pick(artists) : undefined
      const trackId = rng.id()
      tracks.push({
        album,
        artists: featured !== undefined && featured.id !== main.id ? [main, featured] : [main],
        available_markets: markets,
        disc_number: 1,
        duration_ms: duration(rng),
        explicit: rng.chance(0.12),
        external_ids: { isrc: `${rng.pick(isrcCountries)}${rng.upper(3)}${year}${String(rng.int(0, 99_999)).padStart(5, "0")}` },
        external_urls: { spotify: `${openBase}/track/${trackId}` },
        href: `${apiBase}/tracks/${trackId}`,
        id: trackId,
        is_local: false,
        name: n === 1 && albumType === "single" ? album.name : Names.trackName(rng),
        popularity: rng.int(3, 92),
        preview_url: null,
        track_number: n,
        type: "track",
        uri: `spotify:track:${trackId}`
      })
      trackIndices.push(tracks.length - 1)
      tracksByArtist[mainIndex]?.push(tracks.length - 1)
    }
    // Real album contexts sometimes carry a junk href (seen in recorded responses).
    const href = rng.chance(0.25) ? `${apiBase}/albums/null` : `${apiBase}/albums/${id}`
    albums.push({ album, context: contextOf("album", id, href), trackIndices })
  }

  artists.forEach((_, index) => {
    const count = rng.int(1, 3)
    for (let i = 0; i < count; i++) addAlbum(index)
  })
  while (albums.length < minimumAlbums) addAlbum(rng.int(0, artists.length - 1))

  const spotifyTrackCount = tracks.length
  const localTrackIndices = Names.localFiles.map((file) => {
    tracks.push(localTrack(rng, file))
    return tracks.length - 1
  })
  const playlists = Names.playlistNames.map((name): Playlist => {
    const id = rng.id()
    const size = rng.int(20, 50)
    const trackIndices = Array.from({ length: size }, () => rng.int(0, spotifyTrackCount - 1))
    return { name, context: contextOf("playlist", id, `${apiBase}/playlists/${id}`), trackIndices }
  })

  return {
    artists: artists.map((artist, index) => ({
      artist,
      context: contextOf("artist", artist.id, `${apiBase}/artists/${artist.id}`),
      trackIndices: tracksByArtist[index] ?? []
    })),
    albums,
    tracks,
    localTrackIndices,
    playlists
  }
}
