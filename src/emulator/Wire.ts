/** The JSON shapes the emulator puts on the wire, with keys in the order real responses use. */

export interface ExternalUrls {
  readonly spotify?: string
}

export interface ArtistObject {
  readonly external_urls: ExternalUrls
  readonly href: string | null
  readonly id: string | null
  readonly name: string
  readonly type: "artist"
  readonly uri: string | null
}

export interface ImageObject {
  readonly height: number
  readonly url: string
  readonly width: number
}

export interface AlbumObject {
  readonly album_type: "album" | "single" | "compilation" | null
  readonly artists: ReadonlyArray<ArtistObject>
  readonly available_markets: ReadonlyArray<string>
  readonly external_urls: ExternalUrls
  readonly href: string | null
  readonly id: string | null
  readonly images: ReadonlyArray<ImageObject>
  readonly name: string
  readonly release_date: string | null
  readonly release_date_precision: "year" | "month" | "day" | null
  readonly total_tracks: number
  readonly type: "album"
  readonly uri: string | null
}

export interface TrackObject {
  readonly album: AlbumObject
  readonly artists: ReadonlyArray<ArtistObject>
  readonly available_markets: ReadonlyArray<string>
  readonly disc_number: number
  readonly duration_ms: number
  readonly explicit: boolean
  readonly external_ids: { readonly isrc?: string }
  readonly external_urls: ExternalUrls
  readonly href: string | null
  readonly id: string | null
  readonly is_local: boolean
  readonly name: string
  readonly popularity: number
  readonly preview_url: null
  readonly track_number: number
  readonly type: "track"
  readonly uri: string
}

export interface ContextObject {
  readonly type: "playlist" | "album" | "artist"
  readonly href: string
  readonly external_urls: { readonly spotify: string }
  readonly uri: string
}

export interface PlayHistoryObject {
  readonly track: TrackObject
  readonly played_at: string
  readonly context: ContextObject | null
}

export interface RecentlyPlayedPage {
  readonly items: ReadonlyArray<PlayHistoryObject>
  readonly next: string | null
  readonly cursors: { readonly after: string; readonly before: string } | null
  readonly limit: number
  readonly href: string
}

export const apiBase = "https://api.spotify.com/v1"
export const openBase = "https://open.spotify.com"
