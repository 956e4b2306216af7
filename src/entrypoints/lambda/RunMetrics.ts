import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import { metricDimension, metricNames, metricsNamespace } from "../../domain/Deployment.js"
import type { RunSummary } from "../../domain/RunSummary.js"
import { type Invocation, scheduledSync } from "../../programs/ScheduledSync.js"

type MetricName = (typeof metricNames)[keyof typeof metricNames]

export interface RunMetricsInput {
  /** The Lambda function's name: the metrics' one dimension. */
  readonly functionName: string
  /** None when the run failed. */
  readonly summary: Option.Option<RunSummary>
  /** When the last successful sync finished, as the lake's state says (after this run). */
  readonly lastSyncedAtMs: Option.Option<number>
  readonly nowMs: number
}

/**
 * One CloudWatch embedded-metric-format document for one run: written to stdout as a JSON
 * line, CloudWatch Logs turns it into metrics with no API call. Metrics a failed run cannot
 * know (new plays, gaps) are left out rather than reported as zero.
 */
export const runMetrics = (input: RunMetricsInput) => {
  const values: Partial<Record<MetricName, number>> = {
    [metricNames.syncSucceeded]: Option.exists(input.summary, (s) => s.outcome === "synced") ? 1 : 0
  }
  if (Option.isSome(input.summary)) {
    values[metricNames.newPlays] = input.summary.value.new
    values[metricNames.gaps] = input.summary.value.gap === null ? 0 : 1
  }
  if (Option.isSome(input.lastSyncedAtMs)) {
    values[metricNames.minutesSinceLastSync] = Math.max(0, Math.round((input.nowMs - input.lastSyncedAtMs.value) / 6_000) / 10)
  }
  const names = Object.keys(values)
  return {
    _aws: {
      Timestamp: input.nowMs,
      CloudWatchMetrics: [{
        Namespace: metricsNamespace,
        Dimensions: [[metricDimension]],
        Metrics: names.map((name) => ({ Name: name, Unit: name === metricNames.minutesSinceLastSync ? "None" : "Count" }))
      }]
    },
    [metricDimension]: input.functionName,
    outcome: Option.match(input.summary, { onNone: () => "failed", onSome: (s) => s.outcome }),
    ...values
  }
}

export type RunMetrics = ReturnType<typeof runMetrics>

/** One scheduled sync and the metrics of its run (`functionName` is their dimension). */
export const scheduledSyncWithMetrics = (invocation: Invocation, functionName: string) =>
  Effect.gen(function*() {
    const { lastSyncedAtMs, result } = yield* scheduledSync(invocation)
    const metrics = runMetrics({
      functionName,
      summary: Exit.match(result, { onSuccess: Option.some, onFailure: () => Option.none() }),
      lastSyncedAtMs,
      nowMs: yield* Clock.currentTimeMillis
    })
    return { result, metrics }
  })
