// Figures measured side by side: every kind of start runs once per round, in turn, so a busy
// machine slows them alike and their ratio stays meaningful. Each prints as min / median / max.
import * as Effect from "effect/Effect"
import { cpus, loadavg } from "node:os"

export interface Spread {
  readonly min: number
  readonly median: number
  readonly max: number
}

export const spreadOf = (values: ReadonlyArray<number>): Spread => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  const median = sorted.length % 2 === 0 ? ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2 : sorted[middle] ?? 0
  return { min: sorted[0] ?? 0, median, max: sorted[sorted.length - 1] ?? 0 }
}

export const ms = (spread: Spread) => `${spread.min.toFixed(0)} / ${spread.median.toFixed(0)} / ${spread.max.toFixed(0)} ms`

export const mb = (spread: Spread) =>
  `${(spread.min / 1024).toFixed(1)} / ${(spread.median / 1024).toFixed(1)} / ${(spread.max / 1024).toFixed(1)} MB`

export const ratio = (value: Spread, baseline: Spread, goal?: number) =>
  `${(value.median / baseline.median).toFixed(2)}x${goal === undefined ? "" : ` (goal <= ${goal}x)`}`

export const machine = () =>
  `${cpus().length} x ${cpus()[0]?.model.trim() ?? "cpu"}, load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}`

/** Prints `rows` as an aligned two-column table. */
export const printTable = (title: string, rows: ReadonlyArray<readonly [string, string]>) => {
  const width = Math.max(...rows.map(([name]) => name.length))
  console.log(`\n${title}`)
  for (const [name, value] of rows) console.log(`  ${name.padEnd(width)}  ${value}`)
}

/** `effect`'s value and how long it took, in wall-clock milliseconds. */
export const timed = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const started = performance.now()
    const value = yield* effect
    return { value, ms: performance.now() - started }
  })
