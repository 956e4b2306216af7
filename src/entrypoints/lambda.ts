import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Cause from "effect/Cause"
import * as ConfigError from "effect/ConfigError"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as Option from "effect/Option"
import { ReconnectHint } from "../services/spotify/ReconnectHint.js"
import { SpotifyConfig, spotifyConfig } from "../services/spotify/SpotifyConfig.js"
import * as S3Storage from "../services/storage/S3Storage.js"
import * as SecretsManagerTokenStore from "../services/tokens/SecretsManagerTokenStore.js"
import { SpotifySecret } from "../services/tokens/SpotifySecret.js"
import { layerSync } from "./AppLayer.js"
import { lakeUrl } from "./LakeLayer.js"
import { describeFailure } from "./FailureReport.js"
import { jsonLinesLogger } from "./lambda/JsonLinesLogger.js"
import { type LambdaContext, lambdaHandler } from "./lambda/LambdaHandler.js"
import { scheduledSyncWithMetrics } from "./lambda/RunMetrics.js"

// Lambda patches console.* (prefixes, or wraps lines in its own JSON); stdout keeps our lines whole.
const writeLine = (line: string) => void process.stdout.write(`${line}\n`)

const s3Lake = lakeUrl.pipe(
  Effect.flatMap(({ location }) =>
    location._tag === "S3"
      ? Effect.succeed(location)
      : Effect.fail(ConfigError.InvalidData(["LAKE_URL"], "on Lambda the lake must be in S3: LAKE_URL=s3://bucket/prefix"))
  )
)

/** The app's client id and secret come from the Spotify secret; the rest of SpotifyConfig from the environment. */
export const spotifyConfigFromSecret = Layer.effect(
  SpotifyConfig,
  Effect.gen(function*() {
    const app = yield* SecretsManagerTokenStore.secretAppCredentials
    const env = yield* Effect.configProviderWith(Effect.succeed)
    const withClientId = ConfigProvider.orElse(
      ConfigProvider.fromMap(new Map([["SPOTIFY_CLIENT_ID", app.clientId]])),
      () => env
    )
    const config = yield* Effect.withConfigProvider(spotifyConfig, withClientId)
    return { ...config, clientSecret: Option.orElse(app.clientSecret, () => config.clientSecret) }
  })
)

// On Lambda there is no `login` to run: the token lives in the secret, and is replaced there.
const reconnectOnLambda = "put a new refresh_token into the Spotify secret (README: Deploy to AWS, step 3)"

/** The Lambda's core: the lake in S3, and the Spotify secret holding the app's credentials and the refresh token. */
const layerCore = Layer.mergeAll(
  Layer.unwrapEffect(Effect.map(s3Lake, S3Storage.layer)),
  SecretsManagerTokenStore.layer,
  spotifyConfigFromSecret
).pipe(Layer.provide(SpotifySecret.layer))

/** Everything one scheduled sync needs on Lambda. */
export const layerLambda = layerSync(layerCore).pipe(
  Layer.provide(NodeHttpClient.layer),
  Layer.provideMerge(Layer.succeed(ReconnectHint, {
    instruction: reconnectOnLambda,
    // The function reads the app's credentials from its secret alone, never from SPOTIFY_* variables.
    credentials: "client_id and client_secret in the Spotify secret",
    otherwise: ""
  })),
  Layer.provideMerge(Logger.replace(Logger.defaultLogger, jsonLinesLogger(writeLine)))
)

const named = (name: string, message: string) => Object.assign(new Error(message), { name })

/** What Lambda records for a failed invocation (`errorType`, `errorMessage`): the failure's own words. */
const explain = (cause: Cause.Cause<ConfigError.ConfigError | { readonly _tag: string; readonly message: string }>) =>
  Option.match(Cause.failureOption(cause), {
    onSome: (failure) =>
      ConfigError.isConfigError(failure)
        ? named("ConfigError", describeFailure(failure))
        : named(failure._tag, failure.message),
    onNone: () => named("Defect", Cause.pretty(cause))
  })

/** One invocation: the scheduled sync, then its metrics as one CloudWatch EMF line. */
export const invoke = (event: unknown, context: LambdaContext) =>
  Effect.gen(function*() {
    const { metrics, result } = yield* scheduledSyncWithMetrics(
      { event, requestId: context.awsRequestId, remainingMs: context.getRemainingTimeInMillis() },
      context.functionName
    )
    yield* Effect.sync(() => writeLine(JSON.stringify(metrics)))
    return yield* result
  }).pipe(Effect.annotateLogs("requestId", context.awsRequestId))

export const handler = lambdaHandler(layerLambda, invoke, explain)
