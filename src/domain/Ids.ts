import * as Schema from "effect/Schema"

/** `spotify:track:<id>`, or `spotify:local:...` for a local file. */
export const TrackUri = Schema.String.pipe(Schema.brand("TrackUri"))
export type TrackUri = typeof TrackUri.Type

/** A track's Spotify id; local files have none. */
export const TrackId = Schema.String.pipe(Schema.brand("TrackId"))
export type TrackId = typeof TrackId.Type
