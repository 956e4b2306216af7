import {
  CfnCondition,
  CfnOutput,
  CfnParameter,
  Duration,
  Fn,
  RemovalPolicy,
  SecretValue,
  Stack,
  type StackProps
} from "aws-cdk-lib/core"
import * as iam from "aws-cdk-lib/aws-iam"
import * as lambda from "aws-cdk-lib/aws-lambda"
import * as logs from "aws-cdk-lib/aws-logs"
import * as s3 from "aws-cdk-lib/aws-s3"
import * as scheduler from "aws-cdk-lib/aws-scheduler"
import * as targets from "aws-cdk-lib/aws-scheduler-targets"
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager"
import * as sns from "aws-cdk-lib/aws-sns"
import type { Construct } from "constructs"
import { scheduleInput } from "../../src/domain/Deployment.js"
import { addAnalyticsCatalog } from "./AnalyticsCatalog.js"
import { functionMemoryMb, functionTimeoutSeconds } from "./FunctionSizing.js"
import { addPlaysCatalog } from "./PlaysCatalog.js"
import { addSyncAlarms } from "./SyncAlarms.js"

export interface SpotifyPipelineStackProps extends StackProps {
  /** `dist/lambda.zip`, as `node build.mjs` writes it. */
  readonly lambdaZip: string
  /** Glue database and Athena workgroup name (letters, digits, underscores). */
  readonly catalogName?: string
}

/** The schedule may not run less often: 50 plays (all Spotify shows) take about 2.5 hours of listening. */
export const schedule = { defaultMinutes: 30, minMinutes: 10, maxMinutes: 120 } as const

/** A late or retried event older than this is dropped: the next scheduled run is near and does the same. */
export const maxEventAge = Duration.minutes(5)

export class SpotifyPipelineStack extends Stack {
  constructor(scope: Construct, id: string, props: SpotifyPipelineStackProps) {
    super(scope, id, props)
    const catalogName = props.catalogName ?? "spotify_pipeline"

    const scheduleMinutes = new CfnParameter(this, "ScheduleMinutes", {
      type: "Number",
      default: schedule.defaultMinutes,
      minValue: schedule.minMinutes,
      maxValue: schedule.maxMinutes,
      description: "Minutes between syncs. Spotify shows only the last 50 plays: keep this well under 50 plays of listening."
    })
    const alarmEmail = new CfnParameter(this, "AlarmEmail", {
      type: "String",
      default: "",
      allowedPattern: "^$|^[^@\\s]+@[^@\\s]+$",
      description: "An e-mail address to send the alarms to (confirm the subscription mail); empty for none."
    })

    const lake = new s3.Bucket(this, "Lake", {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        { id: "abort-incomplete-uploads", abortIncompleteMultipartUploadAfter: Duration.days(1) },
        // Only state/ objects are ever replaced (compare-and-swap); their old versions need not stay long.
        { id: "expire-old-versions", noncurrentVersionExpiration: Duration.days(30), expiredObjectDeleteMarker: true },
        { id: "expire-athena-results", prefix: "athena-results/", expiration: Duration.days(7) }
      ]
    })
    const lakeUrl = `s3://${lake.bucketName}`

    const secret = new secretsmanager.Secret(this, "SpotifySecret", {
      description: "spotify-pipeline: the Spotify app's client_id and client_secret, and the refresh_token (README: Deploy to AWS)",
      // A placeholder with no credentials in it. CloudFormation writes it once, when it creates the
      // secret, and never again while this value stays the same: what you put in later is kept.
      secretStringValue: SecretValue.unsafePlainText("{}"),
      removalPolicy: RemovalPolicy.RETAIN
    })

    const logGroup = new logs.LogGroup(this, "SyncLogs", {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY
    })

    const role = new iam.Role(this, "SyncRole", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: "spotify-pipeline sync: its log group, the lake's own prefixes, the Spotify secret; nothing else"
    })
    role.addToPolicy(new iam.PolicyStatement({
      sid: "WriteItsLogs",
      actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
      resources: [logGroup.logGroupArn]
    }))
    role.addToPolicy(new iam.PolicyStatement({
      sid: "ListPlaysAndState",
      actions: ["s3:ListBucket"],
      resources: [lake.bucketArn],
      // IfExists: a GetObject of a missing key (state/sync.json before the first run) is checked
      // against ListBucket with no prefix, and S3 answers 404 only if that check passes (403 else).
      conditions: { StringLikeIfExists: { "s3:prefix": ["plays/*", "state/*"] } }
    }))
    role.addToPolicy(new iam.PolicyStatement({
      sid: "ReadPlaysAndState",
      actions: ["s3:GetObject"],
      resources: [lake.arnForObjects("plays/*"), lake.arnForObjects("state/*")]
    }))
    // PutObject alone: data objects are written create-only (If-None-Match), state by
    // compare-and-swap (If-Match, after a GetObject), and so is an object found damaged, in its
    // place once kept under state/damaged/. Nothing is ever deleted.
    role.addToPolicy(new iam.PolicyStatement({
      sid: "WritePlaysRawAndState",
      actions: ["s3:PutObject"],
      resources: [lake.arnForObjects("plays/*"), lake.arnForObjects("raw/*"), lake.arnForObjects("state/*")]
    }))
    role.addToPolicy(new iam.PolicyStatement({
      sid: "ReadAndRotateTheSpotifySecret",
      actions: ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"],
      resources: [secret.secretArn]
    }))

    const sync = new lambda.Function(this, "Sync", {
      description: "spotify-pipeline: one incremental sync of the Spotify listening history into the lake",
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: "index.handler",
      code: lambda.Code.fromAsset(props.lambdaZip),
      memorySize: functionMemoryMb,
      timeout: Duration.seconds(functionTimeoutSeconds),
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: { LAKE_URL: lakeUrl, SPOTIFY_SECRET_ID: secret.secretArn }
    })
    // Lambda's own retry of a failed event: once, soon, or not at all.
    sync.configureAsyncInvoke({ retryAttempts: 1, maxEventAge })

    new scheduler.Schedule(this, "SyncSchedule", {
      description: "spotify-pipeline: capture the plays Spotify shows now",
      schedule: scheduler.ScheduleExpression.expression(
        Fn.sub("rate(${Minutes} minutes)", { Minutes: scheduleMinutes.valueAsString })
      ),
      target: new targets.LambdaInvoke(sync, {
        input: scheduler.ScheduleTargetInput.fromObject(scheduleInput),
        maxEventAge,
        retryAttempts: 2
      })
    })

    const alarms = new sns.Topic(this, "Alarms", { displayName: "spotify-pipeline alarms" })
    const subscription = new sns.CfnSubscription(this, "AlarmEmailSubscription", {
      topicArn: alarms.topicArn,
      protocol: "email",
      endpoint: alarmEmail.valueAsString
    })
    subscription.cfnOptions.condition = new CfnCondition(this, "HasAlarmEmail", {
      expression: Fn.conditionNot(Fn.conditionEquals(alarmEmail.valueAsString, ""))
    })

    addSyncAlarms(this, sync, alarms)
    addPlaysCatalog(this, lakeUrl, catalogName)
    addAnalyticsCatalog(this, lakeUrl, catalogName)

    new CfnOutput(this, "LakeUrl", { value: lakeUrl, description: "The lake (LAKE_URL)" })
    new CfnOutput(this, "SecretName", {
      value: secret.secretName,
      description: "Put the Spotify credentials here (README: Deploy to AWS)"
    })
    new CfnOutput(this, "FunctionName", { value: sync.functionName })
    new CfnOutput(this, "LogGroupName", { value: logGroup.logGroupName })
    new CfnOutput(this, "AlarmTopicArn", { value: alarms.topicArn })
    new CfnOutput(this, "AthenaWorkGroup", { value: catalogName })
  }
}
