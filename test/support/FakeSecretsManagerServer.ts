import { Context, Effect, Layer, Schema, type Scope } from "effect"
import type { IncomingMessage, ServerResponse } from "node:http"
import { loopbackEndpoint, loopbackServer, readBody } from "./LoopbackServer.js"

/**
 * A loopback server speaking the part of AWS Secrets Manager the token store uses, over its
 * real wire protocol (AWS JSON 1.1: `POST /`, `X-Amz-Target: secretsmanager.<Operation>`,
 * errors as `{"__type", "message"}`): GetSecretValue and PutSecretValue, by name or ARN. No
 * real Secrets Manager can run here.
 */
export interface FakeSecretsManagerServer {
  readonly endpoint: string
  /** Creates (or replaces) a secret holding `text`, stored at `createdAtMs`. */
  readonly create: (name: string, text: string, createdAtMs?: number) => string
  /** The current SecretString of `name`, if any. */
  readonly current: (name: string) => string | undefined
  /** Answer this error to the named operation (or every one) until set back to undefined. */
  failWith:
    | { readonly status: number; readonly type: string; readonly message: string; readonly operation?: string }
    | undefined
  /** Accept requests and never answer them. */
  hang: boolean
  /** `CreatedDate` of versions stored from now on. */
  nowMs: number
  /** Every request seen, as "Operation SecretId" (values never recorded). */
  readonly requests: Array<string>
}

interface Version {
  readonly id: string
  readonly text: string
  readonly createdAtMs: number
}

const account = "123456789012"
const arnOf = (name: string) => `arn:aws:secretsmanager:us-east-1:${account}:secret:${name}-AbCdEf`

const Request = Schema.parseJson(Schema.Struct({
  SecretId: Schema.String,
  SecretString: Schema.optional(Schema.String),
  ClientRequestToken: Schema.optional(Schema.String)
}))

const reply = (res: ServerResponse, status: number, body: unknown, type?: string) => {
  res.writeHead(status, {
    "content-type": "application/x-amz-json-1.1",
    "x-amzn-requestid": "fake-request",
    ...(type === undefined ? {} : { "x-amzn-errortype": type })
  })
  res.end(JSON.stringify(body))
}

const error = (res: ServerResponse, status: number, type: string, message: string) =>
  reply(res, status, { __type: type, message }, type)

export const makeFakeSecretsManagerServer = (): Effect.Effect<FakeSecretsManagerServer, never, Scope.Scope> =>
  Effect.suspend(() => {
    const secrets = new Map<string, Array<Version>>()
    let versions = 0
    const nameOf = (secretId: string) =>
      [...secrets.keys()].find((name) => secretId === name || secretId === arnOf(name))

    const fake: FakeSecretsManagerServer & { endpoint: string } = {
      endpoint: "",
      create: (name, text, createdAtMs) => {
        secrets.set(name, [{ id: `v${++versions}`, text, createdAtMs: createdAtMs ?? fake.nowMs }])
        return arnOf(name)
      },
      current: (name) => secrets.get(name)?.at(-1)?.text,
      failWith: undefined,
      hang: false,
      nowMs: Date.UTC(2026, 0, 1),
      requests: []
    }

    const handle = async (req: IncomingMessage, res: ServerResponse) => {
      const body = (await readBody(req)).toString("utf8")
      const target = req.headers["x-amz-target"]
      const operation = typeof target === "string" && target.startsWith("secretsmanager.")
        ? target.slice("secretsmanager.".length)
        : ""
      const request = Schema.decodeUnknownOption(Request)(body)
      fake.requests.push(`${operation} ${request._tag === "Some" ? request.value.SecretId : "?"}`)
      if (fake.hang) return
      if (fake.failWith !== undefined && (fake.failWith.operation ?? operation) === operation) {
        return error(res, fake.failWith.status, fake.failWith.type, fake.failWith.message)
      }
      if (req.method !== "POST" || req.headers["content-type"] !== "application/x-amz-json-1.1") {
        return error(res, 400, "SerializationException", "Expected an AWS JSON 1.1 request")
      }
      if (req.headers.authorization === undefined) {
        return error(res, 400, "MissingAuthenticationTokenException", "Missing Authentication Token")
      }
      if (request._tag === "None") return error(res, 400, "SerializationException", "Malformed request body")
      const { ClientRequestToken, SecretId, SecretString } = request.value
      const name = nameOf(SecretId)
      const history = name === undefined ? undefined : secrets.get(name)
      if (name === undefined || history === undefined) {
        return error(res, 400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
      }
      switch (operation) {
        case "GetSecretValue": {
          const current = history.at(-1)
          if (current === undefined) {
            return error(
              res,
              400,
              "ResourceNotFoundException",
              "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT"
            )
          }
          return reply(res, 200, {
            ARN: arnOf(name),
            Name: name,
            VersionId: current.id,
            SecretString: current.text,
            VersionStages: ["AWSCURRENT"],
            CreatedDate: current.createdAtMs / 1000
          })
        }
        case "PutSecretValue": {
          if (SecretString === undefined) {
            return error(res, 400, "InvalidParameterException", "You must provide either SecretString or SecretBinary.")
          }
          // Idempotent per ClientRequestToken, as Secrets Manager is: a retried put makes no second version.
          const id = ClientRequestToken ?? `v${++versions}`
          if (!history.some((version) => version.id === id)) {
            history.push({ id, text: SecretString, createdAtMs: fake.nowMs })
          }
          return reply(res, 200, { ARN: arnOf(name), Name: name, VersionId: id, VersionStages: ["AWSCURRENT"] })
        }
        default:
          return error(res, 400, "UnknownOperationException", `Unknown operation ${operation}`)
      }
    }

    const serve = (req: IncomingMessage, res: ServerResponse) =>
      void handle(req, res).catch(() => error(res, 500, "InternalServiceError", "fake server failure"))
    return Effect.map(loopbackServer(serve), (server) => {
      fake.endpoint = loopbackEndpoint(server)
      return fake
    })
  })

/** One fake Secrets Manager shared by a block of tests (`layer(FakeSecretsManager.layer)`): each test keeps to secrets of its own. */
export class FakeSecretsManager extends Context.Tag("test/FakeSecretsManager")<FakeSecretsManager, FakeSecretsManagerServer>() {
  static readonly layer = Layer.scoped(FakeSecretsManager, makeFakeSecretsManagerServer())
}

/** Credentials and endpoint for a client of the fake (it checks that requests are signed, not how). */
export const fakeSecretsManagerClient = (endpoint: string) => ({
  endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
  maxAttempts: 1
})
