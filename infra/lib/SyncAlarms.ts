import { Duration } from "aws-cdk-lib/core"
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch"
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions"
import type * as lambda from "aws-cdk-lib/aws-lambda"
import type * as sns from "aws-cdk-lib/aws-sns"
import type { Construct } from "constructs"
import { metricDimension, metricNames, metricsNamespace, staleAfterHours } from "../../src/domain/Deployment.js"

/** A failed run, a gap, and no successful sync for a while: each to `alarms`. */
export const addSyncAlarms = (scope: Construct, sync: lambda.IFunction, alarms: sns.ITopic) => {
  const runMetric = (metricName: string, period: Duration) =>
    new cloudwatch.Metric({
      namespace: metricsNamespace,
      metricName,
      dimensionsMap: { [metricDimension]: sync.functionName },
      statistic: cloudwatch.Stats.SUM,
      period
    })
  const notify = new SnsAction(alarms)

  new cloudwatch.Alarm(scope, "SyncFailed", {
    alarmDescription: "A sync failed: its log line at level ERROR says why (a revoked token, S3, Spotify down).",
    metric: sync.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING
  }).addAlarmAction(notify)

  new cloudwatch.Alarm(scope, "PlaysMayBeLost", {
    alarmDescription:
      "A sync found more than 50 new plays: some between two syncs may be lost. The window is in state/gaps/ in the lake.",
    metric: runMetric(metricNames.gaps, Duration.hours(1)),
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING
  }).addAlarmAction(notify)

  const stale = new cloudwatch.Alarm(scope, "NoRecentSync", {
    alarmDescription: `No successful sync for ${staleAfterHours} hours: plays beyond the last 50 are being lost.`,
    metric: runMetric(metricNames.syncSucceeded, Duration.hours(1)),
    threshold: 1,
    evaluationPeriods: staleAfterHours,
    datapointsToAlarm: staleAfterHours,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    // No run at all (schedule off, function throttled) is as stale as failing runs.
    treatMissingData: cloudwatch.TreatMissingData.BREACHING
  })
  stale.addAlarmAction(notify)
  stale.addOkAction(notify)
}
