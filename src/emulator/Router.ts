import type { IncomingHttpHeaders } from "node:http"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"
import * as Accounts from "./Accounts.js"
import * as Authorize from "./Authorize.js"
import type { Catalog } from "./Catalog.js"
import * as Fault from "./Fault.js"
import * as Profile from "./Profile.js"
import * as RecentlyPlayed from "./RecentlyPlayed.js"
import { recordQuery, type RecordedRequest } from "./RecordedRequest.js"
import * as Reply from "./Reply.js"
import type { Switches } from "./Switches.js"
import type * as Timeline from "./Timeline.js"
import * as TokenEndpoint from "./TokenEndpoint.js"

export interface Incoming {
  readonly method: string
  readonly path: string
  readonly query: URLSearchParams
  readonly rawQuery: string
  readonly headers: IncomingHttpHeaders
  readonly body: string
  readonly baseUrl: string
}

/** A reply to write, or "hang": leave the request unanswered until the client or the server gives up. */
export type Answer = Reply.Reply | "hang"

export interface RouterDeps {
  readonly clientId: string
  readonly clientSecret: string
  readonly catalog: Catalog
  readonly timeline: Ref.Ref<Timeline.Timeline>
  readonly switches: Ref.Ref<Switches>
  readonly accounts: Ref.Ref<Accounts.Accounts>
  readonly faults: Ref.Ref<ReadonlyArray<Fault.QueuedFault>>
  readonly log: Ref.Ref<ReadonlyArray<RecordedRequest>>
}

const endpointOf = (incoming: Incoming): Fault.FaultEndpoint | null =>
  incoming.method === "GET" && incoming.path === RecentlyPlayed.path
    ? "recently-played"
    : incoming.method === "POST" && incoming.path === TokenEndpoint.path
    ? "token"
    : null

// Real time on purpose: a "slow" fault is a wall-clock stall, whatever Clock the caller runs under.
const realDelay = (millis: number) =>
  Effect.async<void>((resume) => {
    const timer = setTimeout(() => resume(Effect.void), millis)
    return Effect.sync(() => clearTimeout(timer))
  })

const unauthorized = (message: string) =>
  Reply.apiError(401, message, [[
    "WWW-Authenticate",
    `Bearer realm="spotify", error="invalid_token", error_description="${message}"`
  ]])

const authorised = (deps: RouterDeps, incoming: Incoming, scope: string | null, answer: (scope: string) => Effect.Effect<Reply.Reply>) =>
  Effect.gen(function*() {
    const nowMs = yield* Clock.currentTimeMillis
    const accounts = yield* Ref.get(deps.accounts)
    const authentication = Accounts.authenticate(accounts, incoming.headers.authorization, nowMs)
    switch (authentication._tag) {
      case "Missing":
        return unauthorized("No token provided")
      case "Invalid":
        return unauthorized("Invalid access token")
      case "Expired":
        return unauthorized("The access token expired")
      case "Valid":
        return scope !== null && !Accounts.hasScope(authentication.scope, scope)
          ? Reply.apiError(403, "Insufficient client scope")
          : yield* answer(authentication.scope)
    }
  })

const route = (deps: RouterDeps, incoming: Incoming): Effect.Effect<Reply.Reply> => {
  const key = `${incoming.method} ${incoming.path}`
  switch (key) {
    case `GET ${RecentlyPlayed.path}`:
      return authorised(deps, incoming, "user-read-recently-played", () =>
        Effect.map(Ref.get(deps.timeline), (timeline) => RecentlyPlayed.page(incoming, timeline, deps.catalog)))
    case `GET ${Profile.path}`:
      return authorised(deps, incoming, null, (scope) => Effect.succeed(Reply.json(200, Profile.profile(scope))))
    case `POST ${TokenEndpoint.path}`:
      return TokenEndpoint.handle({
        authorization: incoming.headers.authorization,
        contentType: incoming.headers["content-type"],
        body: incoming.body
      }, deps)
    case `GET ${Authorize.path}`:
      return Authorize.handle(incoming.query, deps, incoming.headers.accept ?? "")
    default:
      return Effect.succeed(
        [RecentlyPlayed.path, Profile.path, TokenEndpoint.path, Authorize.path].includes(incoming.path)
          ? Reply.apiError(405, "Method not allowed")
          : Reply.apiError(404, "Service not found")
      )
  }
}

const answerWith = (deps: RouterDeps, incoming: Incoming, fault: Fault.Fault | null): Effect.Effect<Answer> => {
  if (fault === null) return route(deps, incoming)
  switch (fault.kind) {
    case "rate-limit":
      return Effect.succeed(Fault.rateLimited(fault))
    case "server-error":
      return Effect.succeed(Fault.serverError(fault))
    case "hang":
      return Effect.succeed("hang")
    case "lost-answer":
      return Effect.as(route(deps, incoming), "hang" as const)
    case "error-after":
      return Effect.as(route(deps, incoming), Fault.serverError({ ...fault, kind: "server-error", body: "empty" }))
    case "slow":
      return Effect.zipRight(realDelay(fault.delayMs), route(deps, incoming))
    case "html-200":
      return Effect.succeed(Fault.htmlOk())
    case "truncated":
      return Effect.map(route(deps, incoming), Fault.truncate)
    case "blank-refresh-token":
      return Effect.map(route(deps, incoming), (reply) => Fault.blankRefreshToken(reply, fault.value))
  }
}

const parsedJson = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

/** What a careless server does: the error message quotes back what the client sent, secrets and all. */
const echoed = (incoming: Incoming, reply: Reply.Reply): Reply.Reply => {
  if (reply.status < 400) return reply
  const sent = `you sent ${incoming.headers.authorization ?? "no Authorization"} with ${incoming.body || "no body"}`
  const parsed = parsedJson(reply.body)
  const body = typeof parsed === "object" && parsed !== null && "error_description" in parsed
    ? { ...parsed, error_description: `${String(parsed.error_description)} (${sent})` }
    : { error: { status: reply.status, message: sent } }
  return { ...reply, body: JSON.stringify(body) }
}

/** Applies the next queued fault for the endpoint, answers, and records what was answered. */
export const make = (deps: RouterDeps) => (incoming: Incoming): Effect.Effect<Answer> =>
  Effect.gen(function*() {
    const endpoint = endpointOf(incoming)
    const fault = endpoint === null ? null : yield* Ref.modify(deps.faults, (queue) => Fault.take(queue, endpoint))
    const grantType = endpoint === "token" ? new URLSearchParams(incoming.body).get("grant_type") : null
    const record: RecordedRequest = {
      method: incoming.method,
      path: incoming.path,
      query: recordQuery(incoming.query),
      grantType,
      status: null,
      fault: fault?.kind ?? null
    }
    const index = yield* Ref.modify(deps.log, (log) => [log.length, [...log, record]] as const)
    const answered = yield* answerWith(deps, incoming, fault)
    const answer = answered !== "hang" && (yield* Ref.get(deps.switches)).echoSecrets ? echoed(incoming, answered) : answered
    if (answer !== "hang") {
      yield* Ref.update(deps.log, (log) => log.map((entry, at) => (at === index ? { ...entry, status: answer.status } : entry)))
    }
    return answer
  })
