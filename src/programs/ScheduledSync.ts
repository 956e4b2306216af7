import * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { runBudgetMs, safetyMarginMs, scheduleInput } from "../domain/Deployment.js"
import { StateStore } from "../services/lake/StateStore.js"
import { defaultSyncOptions, incrementalSync } from "./IncrementalSync.js"

const ScheduleEvent = Schema.Struct({
  source: Schema.Literal(scheduleInput.source),
  schedule_arn: Schema.String,
  scheduled_time: Schema.String,
  execution_id: Schema.String,
  attempt: Schema.String
})

const minimumBudgetMs = 1000

/** The run's budget: the function's remaining time less the safety margin, between 1 s and the run budget. */
export const budgetFor = (remainingMs: number): Duration.Duration =>
  Duration.millis(Math.max(minimumBudgetMs, Math.min(runBudgetMs, remainingMs - safetyMarginMs)))

export interface Invocation {
  readonly event: unknown
  /**
   * Names the run in the lease. Lambda retries an event under the same request id, so a retry
   * may take over the lease its own killed attempt left behind.
   */
  readonly requestId: string
  readonly remainingMs: number
}

const logFailure = (cause: Cause.Cause<{ readonly _tag: string; readonly message: string }>) =>
  Option.match(Cause.failureOption(cause), {
    onSome: (error) => Effect.logError(`sync failed: ${error.message}`).pipe(Effect.annotateLogs("error", error._tag)),
    onNone: () =>
      Effect.logError(Cause.isInterruptedOnly(cause) ? "sync interrupted" : "sync failed unexpectedly", cause)
  })

const lastSyncedAtMs = Effect.flatMap(StateStore, (states) => states.read).pipe(
  Effect.map((stored) =>
    Option.flatMap(stored, (v) => Option.fromNullable(v.state.last_run)).pipe(
      Option.filter((run) => run.outcome === "synced"),
      Option.map((run) => Date.parse(run.finished_at)),
      Option.filter(Number.isFinite)
    )
  ),
  Effect.catchAll((error) =>
    Effect.logWarning(`could not read when the last sync was: ${error.message}`).pipe(Effect.as(Option.none<number>()))
  )
)

/**
 * One scheduled invocation: `incrementalSync` bounded by the function's remaining time, its
 * outcome logged, and when the last successful sync finished (for the run's metrics). The sync
 * is idempotent, so a duplicated or retried event lands nothing twice.
 */
export const scheduledSync = Effect.fn("ScheduledSync")(function*(invocation: Invocation) {
  const trigger = Schema.decodeUnknownOption(ScheduleEvent)(invocation.event)
  const budget = budgetFor(invocation.remainingMs)
  yield* Effect.logInfo(
    Option.match(trigger, {
      onNone: () => "sync started by a direct invocation (not the schedule)",
      onSome: (event) => `scheduled sync started (scheduled for ${event.scheduled_time}, attempt ${event.attempt})`
    })
  ).pipe(Effect.annotateLogs({
    budget: Duration.format(budget),
    ...Option.match(trigger, { onNone: () => ({}), onSome: (event) => ({ execution_id: event.execution_id }) })
  }))

  const result = yield* Effect.exit(incrementalSync({ ...defaultSyncOptions, budget, runId: invocation.requestId }))
  yield* Exit.match(result, {
    onSuccess: (summary) =>
      Effect.logInfo(summary.message).pipe(Effect.annotateLogs({
        outcome: summary.outcome,
        fetched: summary.fetched,
        new: summary.new,
        duplicates_skipped: summary.duplicates_skipped,
        cursor: summary.cursor,
        gap: summary.gap,
        objects_written: summary.objects.length
      })),
    onFailure: logFailure
  })

  // A run that synced is the last sync itself; only another outcome needs the state read back.
  const synced = Exit.isSuccess(result) && result.value.outcome === "synced" ? Option.some(Date.parse(result.value.finished_at)) : Option.none()
  return { result, lastSyncedAtMs: Option.isSome(synced) ? synced : yield* lastSyncedAtMs }
})
