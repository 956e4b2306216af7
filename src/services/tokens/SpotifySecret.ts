import { GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient, type SecretsManagerClientConfig } from "@aws-sdk/client-secrets-manager"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { describeAwsFailure } from "../aws/AwsFailure.js"
import { TokenStoreError } from "./TokenStore.js"

export interface SecretVersion {
  /** The SecretString as stored: it holds the refresh token and the client secret. */
  readonly text: Redacted.Redacted<string>
  /** When this version was stored (Secrets Manager's `CreatedDate`). */
  readonly createdAtMs: Option.Option<number>
}

export interface SpotifySecretShape {
  /** The secret's name or ARN, for messages. */
  readonly id: string
  readonly read: Effect.Effect<SecretVersion, TokenStoreError>
  /** Stores a new current version; durable once it succeeds. */
  readonly write: (text: Redacted.Redacted<string>) => Effect.Effect<void, TokenStoreError>
}

export interface SecretsManagerOptions {
  /** Name or ARN; read from `SPOTIFY_SECRET_ID` when absent. */
  readonly secretId?: string
  readonly client?: Pick<SecretsManagerClientConfig, "endpoint" | "region" | "credentials" | "maxAttempts">
  /** Per request, after the SDK's own retries. */
  readonly timeout?: Duration.DurationInput
}

const firstSet = (...names: ReadonlyArray<string>) =>
  Effect.reduce(names, Option.none<string>(), (found, name) =>
    Option.isSome(found) ? Effect.succeed(found) : Config.option(Config.nonEmptyString(name)))

const clientConfig = (options: SecretsManagerOptions) =>
  Effect.gen(function*() {
    const envEndpoint = yield* firstSet("AWS_ENDPOINT_URL_SECRETS_MANAGER", "AWS_ENDPOINT_URL")
    const envRegion = yield* Config.option(Config.nonEmptyString("AWS_REGION"))
    const endpoint = options.client?.endpoint ?? Option.getOrUndefined(envEndpoint)
    const region = options.client?.region ?? Option.getOrUndefined(envRegion) ??
      (endpoint === undefined ? undefined : "us-east-1")
    const config: SecretsManagerClientConfig = {
      ...options.client,
      ...(endpoint === undefined ? {} : { endpoint }),
      ...(region === undefined ? {} : { region })
    }
    return config
  })

// Secrets Manager's error messages never quote a secret's value, so they are safe to pass on.
const failure = (operation: string, id: string, error: unknown) => {
  const { code, detail, status } = describeAwsFailure(error)
  const answer = status === undefined ? "no response" : `HTTP ${status}`
  const hint = code === "ResourceNotFoundException"
    ? ` (is SPOTIFY_SECRET_ID right, and does the secret hold a value?)`
    : code === "AccessDeniedException"
    ? ` (the function's role needs secretsmanager:${operation} on this secret)`
    : ""
  return new TokenStoreError({
    reason: "Unavailable",
    message: `Secrets Manager ${operation} on ${id} failed (${answer} ${code}): ${detail}${hint}`,
    cause: error
  })
}

/** How long a value read from the secret is reused by the next read. */
const reuseReadFor = Duration.seconds(5)

/** The secret over `@aws-sdk/client-secrets-manager` (GetSecretValue / PutSecretValue). */
const makeSecretsManagerSecret = (options: SecretsManagerOptions) =>
  Effect.gen(function*() {
    const id = options.secretId ?? (yield* Config.nonEmptyString("SPOTIFY_SECRET_ID"))
    const config = yield* clientConfig(options)
    const client = yield* Effect.acquireRelease(
      Effect.sync(() => new SecretsManagerClient(config)),
      (client) => Effect.sync(() => client.destroy())
    )
    const timeout = options.timeout ?? Duration.seconds(20)

    const send = <A>(operation: string, run: (abortSignal: AbortSignal) => Promise<A>) =>
      Effect.tryPromise({ try: run, catch: (error) => failure(operation, id, error) }).pipe(
        Effect.timeoutFail({
          duration: timeout,
          onTimeout: () =>
            new TokenStoreError({
              reason: "Unavailable",
              message: `Secrets Manager ${operation} on ${id} timed out after ${Duration.format(timeout)}`
            })
        })
      )

    const readOnce = Effect.gen(function*() {
      const output = yield* send("GetSecretValue", (abortSignal) =>
        client.send(new GetSecretValueCommand({ SecretId: id }), { abortSignal }))
      if (output.SecretString === undefined) {
        return yield* new TokenStoreError({
          reason: "Corrupt",
          message: `The secret ${id} holds binary data, not the JSON text the pipeline expects`
        })
      }
      return {
        text: Redacted.make(output.SecretString),
        createdAtMs: Option.map(Option.fromNullable(output.CreatedDate), (date) => date.getTime())
      }
    }).pipe(Effect.withSpan("SpotifySecret.read"))

    // One run reads the secret three times in a row (the app's credentials, the token's age, the
    // token), each a round trip: a value read is reused for a few seconds (runs are minutes apart),
    // a failure is not, and a write forgets it.
    const [cachedRead, forget] = yield* Effect.cachedInvalidateWithTTL(readOnce, reuseReadFor)
    const read = cachedRead.pipe(Effect.tapError(() => forget))

    const write = Effect.fn("SpotifySecret.write")(function*(text: Redacted.Redacted<string>) {
      yield* send("PutSecretValue", (abortSignal) =>
        client.send(new PutSecretValueCommand({ SecretId: id, SecretString: Redacted.value(text) }), { abortSignal })).pipe(
          Effect.ensuring(forget)
        )
    })

    return { id, read, write } satisfies SpotifySecretShape
  })

/**
 * The one AWS Secrets Manager secret that holds the Spotify app's credentials and the refresh
 * token (its JSON shape: `SecretContents.ts` and the README). The raw vendor
 * seam under SecretsManagerTokenStore and the Lambda's Spotify settings.
 */
export class SpotifySecret extends Context.Tag("spotify-pipeline/SpotifySecret")<SpotifySecret, SpotifySecretShape>() {
  /** The secret named by `SPOTIFY_SECRET_ID`; `AWS_ENDPOINT_URL_SECRETS_MANAGER` selects another endpoint. */
  static readonly layer: Layer.Layer<SpotifySecret, ConfigError.ConfigError> = Layer.scoped(
    SpotifySecret,
    makeSecretsManagerSecret({})
  )

  static readonly layerOptions = (options: SecretsManagerOptions): Layer.Layer<SpotifySecret, ConfigError.ConfigError> =>
    Layer.scoped(SpotifySecret, makeSecretsManagerSecret(options))
}
