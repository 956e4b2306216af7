import type { Rng } from "./Rng.js"

const firstNames = [
  "Mara", "Jonas", "Aiko", "Tomas", "Leila", "Oskar", "Nina", "Kofi", "Elena", "Rafael", "Ingrid",
  "Sami", "Yuki", "Dario", "Freya", "Malik", "Clara", "Emeka", "Lucia", "Henrik", "Anouk", "Viktor",
  "Ines", "Theo", "Salome", "Björn", "Noor", "Matteo", "Zofia", "Amadou"
]
const lastNames = [
  "Lindqvist", "Okafor", "Moreau", "Tanaka", "Varga", "Castillo", "Hallberg", "Mensah", "Novak",
  "Duarte", "Keller", "Sørensen", "Whitfield", "Adeyemi", "Rossi", "Nakamura", "Ferreira", "Brandt",
  "O'Connell", "Haddad", "Ivanova", "Quist", "Laurent", "Dubois"
]
const adjectives = [
  "Velvet", "Hollow", "Electric", "Paper", "Silver", "Midnight", "Golden", "Crooked", "Quiet",
  "Neon", "Wild", "Distant", "Northern", "Broken", "Little", "Amber", "Violet", "Lucky", "Slow",
  "Bright", "Faded", "Salt", "Cold", "Secret"
]
const nouns = [
  "Harbor", "Lantern", "Wolf", "Garden", "Engine", "River", "Satellite", "Orchard", "Mirror",
  "Comet", "Tide", "Signal", "Cathedral", "Parade", "Meadow", "Machine", "Island", "Violin",
  "Thread", "Window", "Forest", "Ember", "Highway", "Ocean", "Letter", "Summer", "Winter", "Heart"
]
const titleWords = [
  "Heartbeat", "Tonight", "Slow Motion", "Gravity", "Paper Planes", "Runaway", "Afterglow",
  "Hold On", "Weightless", "Static", "Daydream", "Lighthouse", "Overdrive", "Wildfire", "Undertow",
  "Neon Lights", "Holy Water", "Northern Line", "Satellites", "Sugar", "Polaroid", "Headlights",
  "Tidal", "Fever", "Magnolia", "Blue Hour", "Glass House", "Shivers", "Open Roads", "Monsoon",
  "Kaleidoscope", "Stay", "Echoes", "Fireflies", "Hurricane", "Gold Rush", "Carousel", "Delirium",
  "Pulse", "Saltwater", "Bittersweet", "Moonlight", "Vertigo", "Landslide", "Paradise", "Ghosts",
  "Riptide", "Mercury", "Lullaby", "Wanderlust", "Skyline", "Cinnamon", "Parallel", "Rewind"
]
const titlePatterns: ReadonlyArray<(rng: Rng) => string> = [
  (rng) => rng.pick(titleWords),
  (rng) => rng.pick(titleWords),
  (rng) => `${rng.pick(adjectives)} ${rng.pick(nouns)}`,
  (rng) => `The ${rng.pick(nouns)}`,
  (rng) => `${rng.pick(titleWords)} (feat. ${rng.pick(firstNames)})`,
  (rng) => `${rng.pick(titleWords)} - Remastered ${rng.int(2009, 2024)}`,
  (rng) => `${rng.pick(titleWords)} - Live`,
  (rng) => `Don't Let Me ${rng.pick(["Go", "Down", "Wait", "Fall"])}`,
  (rng) => {
    const first = rng.pick(nouns)
    return `${first}s & ${rng.pick(nouns.filter((noun) => noun !== first))}s`
  }
]
const artistPatterns: ReadonlyArray<(rng: Rng) => string> = [
  (rng) => `${rng.pick(firstNames)} ${rng.pick(lastNames)}`,
  (rng) => `${rng.pick(firstNames)} ${rng.pick(lastNames)}`,
  (rng) => `The ${rng.pick(adjectives)} ${rng.pick(nouns)}s`,
  (rng) => `${rng.pick(adjectives)} ${rng.pick(nouns)}`,
  (rng) => `${rng.pick(nouns)}${rng.pick(["", " Club", " Society", " Collective", " Trio"])}`,
  (rng) => `${rng.pick(firstNames)} & the ${rng.pick(nouns)}s`,
  (rng) => `DJ ${rng.pick(nouns)}`
]
const albumPatterns: ReadonlyArray<(rng: Rng) => string> = [
  (rng) => `${rng.pick(adjectives)} ${rng.pick(nouns)}`,
  (rng) => rng.pick(titleWords),
  (rng) => `Songs from the ${rng.pick(nouns)}`,
  (rng) => `${rng.pick(nouns)}s`,
  (rng) => `${rng.pick(titleWords)} (Deluxe Edition)`,
  (rng) => `Live at the ${rng.pick(nouns)}`
]
const playlistNames = [
  "Morning Coffee", "Deep Focus", "Late Night Drive", "Discover Weekly", "Release Radar",
  "Running Mix", "Sunday Slow", "Kitchen Dancing", "Throwbacks", "Chill Vibes", "Daily Mix 1",
  "Daily Mix 2"
]

export const artistName = (rng: Rng): string => rng.pick(artistPatterns)(rng)
export const albumName = (rng: Rng): string => rng.pick(albumPatterns)(rng)
export const trackName = (rng: Rng): string => rng.pick(titlePatterns)(rng)
export { playlistNames }

/** Tags a local file might carry, with the characters that make the `spotify:local:` uri interesting. */
export const localFiles: ReadonlyArray<{ readonly artist: string; readonly album: string; readonly title: string }> = [
  { artist: "Unknown Artist", album: "Unknown Album", title: "Track 01" },
  { artist: "The Basement Tapes", album: "Demo Reel 2019", title: "Garage Song (take 3)" },
  { artist: "Mara Lindqvist", album: "Bootlegs", title: "Rain on the Roof" },
  { artist: "Kofi & Friends", album: "Live in Accra", title: "Highlife Jam" },
  { artist: "Sigur Rós", album: "Untitled", title: "Njósnavélin" },
  { artist: "Field Recordings", album: "Summer 2021", title: "Cicadas at Dusk" },
  { artist: "Old Band", album: "Rehearsal", title: "We're Not Done Yet" },
  { artist: "DJ Harbor", album: "Mixtape Vol. 2", title: "Intro/Outro" }
]
