/** Spotify keeps the 50 most recent plays; one full page is everything there is. */
export const pageLimit = 50
