/**
 * What the Lambda and the stack that deploys it must agree on. It imports nothing, so `infra/`
 * reads these without loading any of the application.
 */

/** What the schedule sends; EventBridge Scheduler fills in the placeholders at each invocation. */
export const scheduleInput = {
  source: "spotify-pipeline.schedule",
  schedule_arn: "<aws.scheduler.schedule-arn>",
  scheduled_time: "<aws.scheduler.scheduled-time>",
  execution_id: "<aws.scheduler.execution-id>",
  attempt: "<aws.scheduler.attempt-number>"
} as const

/** The most one sync may take. */
export const runBudgetMs = 5 * 60 * 1000

/**
 * No successful sync for this long is stale: 50 plays of non-stop listening take about 2.5 hours,
 * so plays may be scrolling out of Spotify's window. The stack's alarm and `status` both say so.
 */
export const staleAfterHours = 3

/** Kept back from the function's remaining time to release the lease, emit metrics and reply. */
export const safetyMarginMs = 20 * 1000

/** CloudWatch namespace and metric names: the stack's alarms read exactly these. */
export const metricsNamespace = "SpotifyPipeline"
export const metricDimension = "Function"
export const metricNames = {
  newPlays: "NewPlays",
  gaps: "Gaps",
  minutesSinceLastSync: "MinutesSinceLastSync",
  syncSucceeded: "SyncSucceeded"
} as const
