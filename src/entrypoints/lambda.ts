import { FetchHttpClient } from "@effect/platform"
import { Cause, Config, ConfigError, ConfigProvider, Effect, Either, Layer, Logger, Option } from "effect"
import { describeFailure } from "../programs/FailureReport.js"
import { scheduledSync } from "../programs/ScheduledSync.js"
import { jsonLinesLogger } from "../services/JsonLinesLogger.js"
import { Lake } from "../services/Lake.js"
import { type LambdaContext, lambdaHandler } from "../services/LambdaHandler.js"
import { parseLakeUrl } from "../services/LakeLocation.js"
import { ReconnectHint } from "../services/ReconnectHint.js"
import { ObjectStorage } from "../services/ObjectStorage.js"
import { SpotifyAuth } from "../services/SpotifyAuth.js"
import { SpotifyClient } from "../services/SpotifyClient.js"
import { SpotifyConfig, spotifyConfig } from "../services/SpotifyConfig.js"
import { StateStore } from "../services/StateStore.js"
import { TokenStore } from "../services/TokenStore.js"
import { secretAppCredentials } from "../services/TokenStoreSecretsManager.js"
import { SpotifySecret } from "../services/SpotifySecret.js"

// Lambda patches console.* (prefixes, or wraps lines in its own JSON); stdout keeps our lines whole.
const writeLine = (line: string) => void process.stdout.write(`${line}\n`)

const s3Lake = Config.string("LAKE_URL").pipe(
  Config.mapOrFail((url) =>
    Either.flatMap(parseLakeUrl(url.trim()), (location) =>
      location._tag === "S3"
        ? Either.right(location)
        : Either.left("on Lambda the lake must be in S3: LAKE_URL=s3://bucket/prefix")).pipe(
        Either.mapLeft((message) => ConfigError.InvalidData(["LAKE_URL"], message))
      )
  )
)

/** The app's client id and secret come from the Spotify secret; the rest of SpotifyConfig from the environment. */
export const spotifyConfigFromSecret = Layer.effect(
  SpotifyConfig,
  Effect.gen(function*() {
    const app = yield* secretAppCredentials
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

/** Everything one scheduled sync needs on Lambda: the S3 lake, Spotify, and the secret holding the credentials. */
export const layerLambda = Layer.mergeAll(Lake.layer, StateStore.layer, SpotifyClient.layer).pipe(
  Layer.provideMerge(SpotifyAuth.layer),
  Layer.provideMerge(Layer.merge(spotifyConfigFromSecret, TokenStore.layerSecretsManager)),
  Layer.provideMerge(SpotifySecret.layer),
  Layer.provideMerge(Layer.unwrapEffect(Effect.map(s3Lake, ObjectStorage.layerS3))),
  Layer.provide(FetchHttpClient.layer),
  Layer.provideMerge(Layer.succeed(ReconnectHint, { instruction: reconnectOnLambda })),
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

const invoke = (event: unknown, context: LambdaContext) =>
  scheduledSync({
    event,
    requestId: context.awsRequestId,
    functionName: context.functionName,
    remainingMs: context.getRemainingTimeInMillis()
  }).pipe(
    Effect.tap(({ metrics }) => Effect.sync(() => writeLine(JSON.stringify(metrics)))),
    Effect.flatMap(({ result }) => result),
    Effect.annotateLogs("requestId", context.awsRequestId)
  )

export const handler = lambdaHandler(layerLambda, invoke, explain)
