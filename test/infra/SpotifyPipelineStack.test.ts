import { App } from "aws-cdk-lib/core"
import { Match, Template } from "aws-cdk-lib/assertions"
import { Schema } from "effect"
import { zipSync } from "fflate"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { playsTableColumns } from "../../infra/lib/PlaysTable.js"
import { functionRole } from "../support/FunctionRoleStorage.js"
import { maxEventAge, schedule, SpotifyPipelineStack } from "../../infra/lib/SpotifyPipelineStack.js"
import { Play } from "../../src/domain/Play.js"
import { scheduleInput } from "../../src/domain/Deployment.js"

/*
 * The stack as CloudFormation will get it, synthesised offline (no AWS account, no lookups) and
 * read with aws-cdk-lib/assertions. A stand-in zip takes the bundle's place: the bundle itself
 * is proven by test/lambda/LambdaBundle.test.ts.
 */

const dir = mkdtempSync(join(tmpdir(), "stack-"))
let template: Template
beforeAll(() => {
  const zip = join(dir, "lambda.zip")
  writeFileSync(zip, zipSync({ "index.mjs": new TextEncoder().encode("export const handler = async () => ({})\n") }))
  const app = new App({ outdir: join(dir, "cdk.out") })
  template = Template.fromStack(new SpotifyPipelineStack(app, "SpotifyPipeline", { lambdaZip: zip }))
}, 60_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const Statement = Schema.Struct({
  Sid: Schema.optional(Schema.String),
  Effect: Schema.Literal("Allow", "Deny"),
  Action: Schema.Union(Schema.String, Schema.Array(Schema.String)),
  Resource: Schema.Unknown,
  Condition: Schema.optional(Schema.Unknown)
})
const PolicyResource = Schema.Struct({
  Properties: Schema.Struct({
    PolicyDocument: Schema.Struct({ Statement: Schema.Array(Statement) }),
    Roles: Schema.Array(Schema.Struct({ Ref: Schema.String }))
  })
})
type Statement = typeof Statement.Type

const actionsOf = (statement: Statement) => typeof statement.Action === "string" ? [statement.Action] : statement.Action

const logicalId = (type: string, props: object) => {
  const [id, ...others] = Object.keys(template.findResources(type, { Properties: Match.objectLike(props) }))
  if (id === undefined || others.length > 0) throw new Error(`expected one ${type}, found ${others.length + (id === undefined ? 0 : 1)}`)
  return id
}

const statementsOf = (roleId: string) =>
  Object.values(template.findResources("AWS::IAM::Policy"))
    .map((resource) => Schema.decodeUnknownSync(PolicyResource)(resource))
    .filter((policy) => policy.Properties.Roles.some((role) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement)

const syncRole = () => logicalId("AWS::IAM::Role", { Description: Match.stringLikeRegexp("spotify-pipeline sync") })
const bucket = () => logicalId("AWS::S3::Bucket", {})
const objectsArn = (suffix: string) => ({ "Fn::Join": ["", [{ "Fn::GetAtt": [bucket(), "Arn"] }, suffix]] })

describe("the lake bucket", () => {
  it("is encrypted, private, versioned, TLS-only, kept when the stack goes, with lifecycle rules", () => {
    template.hasResource("AWS::S3::Bucket", {
      DeletionPolicy: "Retain",
      Properties: {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }]
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true
        },
        VersioningConfiguration: { Status: "Enabled" },
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: "Enabled" }),
            Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Status: "Enabled" })
          ])
        }
      }
    })
    template.hasResourceProperties("AWS::S3::BucketPolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } })
        ])
      }
    })
  })
})

describe("the sync function", () => {
  it("runs the bundle on nodejs24.x, arm64, 256 MB (measured), with a timeout of the sync's budget plus the handler's margin", () => {
    template.hasResourceProperties("AWS::Lambda::Function", {
      Runtime: "nodejs24.x",
      Architectures: ["arm64"],
      Handler: "index.handler",
      MemorySize: 256,
      Timeout: 320,
      LoggingConfig: { LogFormat: "JSON", LogGroup: Match.anyValue() },
      Environment: {
        Variables: {
          LAKE_URL: { "Fn::Join": ["", ["s3://", { Ref: bucket() }]] },
          SPOTIFY_SECRET_ID: { Ref: logicalId("AWS::SecretsManager::Secret", {}) }
        }
      }
    })
    // Source maps stay off at run time: no NODE_OPTIONS at all.
    expect(JSON.stringify(template.findResources("AWS::Lambda::Function"))).not.toContain("enable-source-maps")
    template.hasResourceProperties("AWS::Logs::LogGroup", { RetentionInDays: 90 })
  })

  it("is invoked by EventBridge Scheduler every 30 minutes by default, with the event the handler reads", () => {
    template.hasParameter("ScheduleMinutes", {
      Type: "Number",
      Default: schedule.defaultMinutes,
      MinValue: schedule.minMinutes,
      MaxValue: schedule.maxMinutes
    })
    template.hasResourceProperties("AWS::Scheduler::Schedule", {
      ScheduleExpression: { "Fn::Sub": ["rate(${Minutes} minutes)", { Minutes: { Ref: "ScheduleMinutes" } }] },
      FlexibleTimeWindow: { Mode: "OFF" },
      State: "ENABLED",
      Target: {
        Arn: { "Fn::GetAtt": [logicalId("AWS::Lambda::Function", {}), "Arn"] },
        Input: JSON.stringify(scheduleInput),
        RetryPolicy: { MaximumEventAgeInSeconds: 300, MaximumRetryAttempts: 2 }
      }
    })
  })

  it("drops late and retried events before the next scheduled run, and retries a failed run at most once", () => {
    expect(maxEventAge.toSeconds()).toBeLessThan(schedule.minMinutes * 60)
    template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
      MaximumRetryAttempts: 1,
      MaximumEventAgeInSeconds: 300
    })
  })
})

describe("least privilege", () => {
  it("gives the function's role no managed policy, and statements written out one by one", () => {
    template.hasResourceProperties("AWS::IAM::Role", {
      Description: Match.stringLikeRegexp("spotify-pipeline sync"),
      ManagedPolicyArns: Match.absent()
    })
    expect(statementsOf(syncRole()).map((s) => [s.Sid, actionsOf(s)])).toEqual([
      ["WriteItsLogs", ["logs:CreateLogStream", "logs:PutLogEvents"]],
      ["ListPlaysAndState", ["s3:ListBucket"]],
      ["ReadPlaysAndState", ["s3:GetObject"]],
      ["WritePlaysRawAndState", ["s3:PutObject"]],
      ["ReadAndRotateTheSpotifySecret", ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"]]
    ])
  })

  it("grants no delete anywhere: no s3:DeleteObject on plays/ or raw/ (or elsewhere), and no wildcards", () => {
    const everyStatement = Object.values(template.findResources("AWS::IAM::Policy"))
      .map((resource) => Schema.decodeUnknownSync(PolicyResource)(resource))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
      .filter((statement) => statement.Effect === "Allow")
    const allowed = everyStatement.flatMap(actionsOf)
    expect(allowed.filter((action) => /delete/i.test(action))).toEqual([])
    expect(allowed.filter((action) => action.includes("*"))).toEqual([])
  })

  it("scopes S3 by prefix: lists plays/ and state/, reads plays/ and state/, writes plays/, raw/ and state/", () => {
    const byAction = (action: string) => statementsOf(syncRole()).filter((s) => actionsOf(s).includes(action))
    // The table the sync's tests run under (test/support/FunctionRoleStorage.ts) is this policy.
    const stars = (prefixes: ReadonlyArray<string>) => prefixes.map((prefix) => `${prefix}*`)
    expect(byAction("s3:ListBucket")).toEqual([
      expect.objectContaining({
        Resource: { "Fn::GetAtt": [bucket(), "Arn"] },
        Condition: { StringLikeIfExists: { "s3:prefix": stars(functionRole["s3:ListBucket"]) } }
      })
    ])
    expect(byAction("s3:GetObject").map((s) => s.Resource)).toEqual([functionRole["s3:GetObject"].map((prefix) => objectsArn(`/${prefix}*`))])
    expect(byAction("s3:PutObject").map((s) => s.Resource)).toEqual([functionRole["s3:PutObject"].map((prefix) => objectsArn(`/${prefix}*`))])
  })

  it("reads and writes the one Spotify secret, which starts as an empty placeholder and outlives the stack", () => {
    const secret = logicalId("AWS::SecretsManager::Secret", {})
    const secretStatements = statementsOf(syncRole()).filter((s) => actionsOf(s).some((a) => a.startsWith("secretsmanager:")))
    expect(secretStatements.map((s) => s.Resource)).toEqual([{ Ref: secret }])
    template.hasResource("AWS::SecretsManager::Secret", {
      DeletionPolicy: "Retain",
      Properties: { SecretString: "{}", GenerateSecretString: Match.absent() }
    })
  })

  it("lets the scheduler invoke the function and nothing else", () => {
    const schedulerRole = logicalId("AWS::IAM::Role", {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: "scheduler.amazonaws.com" } })] }
    })
    expect(statementsOf(schedulerRole).flatMap(actionsOf)).toEqual(["lambda:InvokeFunction"])
  })
})

describe("observability", () => {
  const topic = () => ({ Ref: logicalId("AWS::SNS::Topic", {}) })

  it("alarms on failed runs, on a gap and on no successful sync for 3 hours, to one SNS topic", () => {
    const functionRef = { Ref: logicalId("AWS::Lambda::Function", {}) }
    template.resourceCountIs("AWS::CloudWatch::Alarm", 3)
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      Namespace: "AWS/Lambda",
      MetricName: "Errors",
      Dimensions: [{ Name: "FunctionName", Value: functionRef }],
      Statistic: "Sum",
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      AlarmActions: [topic()]
    })
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      Namespace: "SpotifyPipeline",
      MetricName: "Gaps",
      Dimensions: [{ Name: "Function", Value: functionRef }],
      Statistic: "Sum",
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      TreatMissingData: "notBreaching",
      AlarmActions: [topic()]
    })
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      Namespace: "SpotifyPipeline",
      MetricName: "SyncSucceeded",
      Dimensions: [{ Name: "Function", Value: functionRef }],
      Statistic: "Sum",
      Period: 3600,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      Threshold: 1,
      ComparisonOperator: "LessThanThreshold",
      TreatMissingData: "breaching",
      AlarmActions: [topic()],
      OKActions: [topic()]
    })
  })

  it("subscribes an e-mail address to the alarms only when one is given", () => {
    template.hasParameter("AlarmEmail", { Type: "String", Default: "" })
    template.hasCondition("HasAlarmEmail", {
      "Fn::Not": [{ "Fn::Equals": [{ Ref: "AlarmEmail" }, ""] }]
    })
    template.hasResource("AWS::SNS::Subscription", {
      Condition: "HasAlarmEmail",
      Properties: { Protocol: "email", Endpoint: { Ref: "AlarmEmail" }, TopicArn: topic() }
    })
  })
})

describe("query at scale", () => {
  it("catalogs plays/ for Athena with zero-padded year/month/day partition projection and the JSON SerDe", () => {
    template.hasResourceProperties("AWS::Glue::Database", { DatabaseInput: { Name: "spotify_pipeline" } })
    const location = { "Fn::Join": ["", ["s3://", { Ref: bucket() }, "/plays/"]] }
    template.hasResourceProperties("AWS::Glue::Table", {
      DatabaseName: "spotify_pipeline",
      TableInput: {
        Name: "plays",
        TableType: "EXTERNAL_TABLE",
        PartitionKeys: [
          { Name: "year", Type: "string" },
          { Name: "month", Type: "string" },
          { Name: "day", Type: "string" }
        ],
        Parameters: Match.objectLike({
          "projection.enabled": "true",
          "projection.year.type": "integer",
          "projection.month.type": "integer",
          "projection.month.digits": "2",
          "projection.day.type": "integer",
          "projection.day.digits": "2",
          "storage.location.template": {
            "Fn::Join": ["", ["s3://", { Ref: bucket() }, "/plays/year=${year}/month=${month}/day=${day}/"]]
          }
        }),
        StorageDescriptor: Match.objectLike({
          Location: location,
          SerdeInfo: { SerializationLibrary: "org.openx.data.jsonserde.JsonSerDe" }
        })
      }
    })
    template.hasResourceProperties("AWS::Athena::WorkGroup", {
      Name: "spotify_pipeline",
      WorkGroupConfiguration: {
        ResultConfiguration: { OutputLocation: { "Fn::Join": ["", ["s3://", { Ref: bucket() }, "/athena-results/"]] } }
      }
    })
  })

  it("has a column for every field of a play line", () => {
    expect(playsTableColumns.map((column) => column.name)).toEqual(Object.keys(Play.fields))
  })
})
