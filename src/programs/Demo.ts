import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { PlayFromJson } from "../domain/Play.js"
import type { RunSummary } from "../domain/RunSummary.js"
import { ObjectStorage } from "../services/storage/ObjectStorage.js"

/** The simulated listener the demo drives: the emulator, seen through what the demo needs. */
export interface DemoListener {
  readonly listen: (count: number) => Effect.Effect<unknown>
  readonly rateLimitNext: (retryAfterSeconds: number) => Effect.Effect<void>
}

interface Step {
  readonly story: string
  readonly plays: number
  readonly rateLimit?: number
}

const steps: ReadonlyArray<Step> = [
  { story: "You listen to 30 tracks, then the first sync runs.", plays: 30 },
  { story: "12 more tracks on the way home.", plays: 12 },
  { story: "Nothing new: a retried or duplicated run changes nothing.", plays: 0 },
  { story: "8 tracks; Spotify answers the next request with 429 and Retry-After: 1.", plays: 8, rateLimit: 1 },
  { story: "A long weekend without syncing: 64 tracks, more than the 50 Spotify keeps.", plays: 64 }
]

const decodePlay = Schema.decodeUnknownSync(PlayFromJson)

const inventory = Effect.gen(function*() {
  const storage = yield* ObjectStorage
  const plays = yield* storage.list("plays/")
  const artists = new Map<string, number>()
  let lines = 0
  for (const key of plays) {
    const body = Option.match(yield* storage.get(key), { onNone: () => "", onSome: (o) => o.body })
    for (const line of body.split("\n").filter((l) => l !== "")) {
      lines++
      const artist = decodePlay(line).artist_names[0] ?? "(unknown)"
      artists.set(artist, (artists.get(artist) ?? 0) + 1)
    }
  }
  const top = [...artists.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3)
  return {
    plays,
    lines,
    raw: (yield* storage.list("raw/")).length,
    gaps: (yield* storage.list("state/gaps/")).length,
    top
  }
})

/** Syncs while the simulated listening goes on, printing each run, then what landed where. */
export const demo = <E, R>(
  listener: DemoListener,
  sync: Effect.Effect<RunSummary, E, R>,
  lake: string,
  describeRun: (summary: RunSummary) => ReadonlyArray<string>
) =>
  Effect.gen(function*() {
    for (const [i, step] of steps.entries()) {
      yield* Console.log(`\n${i + 1}. ${step.story}`)
      if (step.plays > 0) yield* listener.listen(step.plays)
      if (step.rateLimit !== undefined) yield* listener.rateLimitNext(step.rateLimit)
      const summary = yield* sync
      for (const line of describeRun(summary)) yield* Console.log(`   ${line}`)
    }
    const found = yield* inventory
    yield* Console.log(`\nWhat landed in ${lake}:`)
    yield* Console.log(`  plays/  ${found.lines} plays, one JSON line each, in ${found.plays.length} objects:`)
    for (const key of found.plays) yield* Console.log(`          ${key}`)
    yield* Console.log(`  raw/    ${found.raw} verbatim Spotify pages`)
    yield* Console.log(`  state/  sync.json (cursor and run log), gaps/ (${found.gaps} gap recorded), token.json`)
    yield* Console.log(`\nTop artists: ${found.top.map(([artist, n]) => `${artist} (${n})`).join(", ")}`)
    return found
  })
