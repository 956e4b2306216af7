import * as Reply from "./Reply.js"

type Endpoint = "recently-played" | "token"

export type Fault =
  | {
    readonly endpoint: Endpoint
    readonly times?: number
    readonly kind: "rate-limit"
    readonly retryAfterSeconds: number
    readonly lowercaseHeader?: boolean
    readonly emptyBody?: boolean
  }
  | {
    readonly endpoint: Endpoint
    readonly times?: number
    readonly kind: "server-error"
    readonly status: 500 | 502 | 503 | 504
    readonly body: "html" | "empty" | "json"
  }
  | { readonly endpoint: Endpoint; readonly times?: number; readonly kind: "hang" }
  /** The request is carried out (a refresh rotates the token), then the answer is lost: no reply ever comes. */
  | { readonly endpoint: Endpoint; readonly times?: number; readonly kind: "lost-answer" }
  /** The request is carried out, then a 5xx goes back instead of its answer. */
  | { readonly endpoint: Endpoint; readonly times?: number; readonly kind: "error-after"; readonly status: 500 | 502 | 503 | 504 }
  | { readonly endpoint: Endpoint; readonly times?: number; readonly kind: "slow"; readonly delayMs: number }
  /** The request is carried out, and the grant comes back with this in place of a refresh token (none was rotated). */
  | { readonly endpoint: "token"; readonly times?: number; readonly kind: "blank-refresh-token"; readonly value: "" | " " | null }
  | { readonly endpoint: "recently-played"; readonly times?: number; readonly kind: "html-200" }
  | { readonly endpoint: "recently-played"; readonly times?: number; readonly kind: "truncated" }

export type FaultEndpoint = Fault["endpoint"]

export interface QueuedFault {
  readonly fault: Fault
  readonly remaining: number
}

export const enqueue = (queue: ReadonlyArray<QueuedFault>, fault: Fault): ReadonlyArray<QueuedFault> => {
  const times = fault.times ?? 1
  return times >= 1 ? [...queue, { fault, remaining: Math.floor(times) }] : queue
}

/** The first queued fault for this endpoint, used up one request at a time. */
export const take = (
  queue: ReadonlyArray<QueuedFault>,
  endpoint: FaultEndpoint
): readonly [Fault | null, ReadonlyArray<QueuedFault>] => {
  const at = queue.findIndex((queued) => queued.fault.endpoint === endpoint)
  const queued = queue[at]
  if (queued === undefined) return [null, queue]
  const rest = queued.remaining > 1
    ? queue.map((entry, index) => (index === at ? { ...entry, remaining: entry.remaining - 1 } : entry))
    : queue.filter((_, index) => index !== at)
  return [queued.fault, rest]
}

const reasons: Record<500 | 502 | 503 | 504, readonly [string, string]> = {
  500: ["Internal Server Error", "Server error."],
  502: ["Bad Gateway", "Bad gateway."],
  503: ["Service Unavailable", "Service unavailable"],
  504: ["Gateway Timeout", "Gateway timeout"]
}

export const rateLimited = (fault: Extract<Fault, { kind: "rate-limit" }>): Reply.Reply => {
  const header = [fault.lowercaseHeader === true ? "retry-after" : "Retry-After", String(fault.retryAfterSeconds)] as const
  return fault.emptyBody === true
    ? Reply.empty(429, [header])
    : Reply.apiError(429, "API rate limit exceeded", [header])
}

export const serverError = (fault: Extract<Fault, { kind: "server-error" }>): Reply.Reply => {
  const [title, message] = reasons[fault.status]
  switch (fault.body) {
    case "empty":
      return Reply.empty(fault.status)
    case "html":
      return Reply.html(
        fault.status,
        `<html>\r\n<head><title>${fault.status} ${title}</title></head>\r\n<body>\r\n<center><h1>${fault.status} ${title}</h1></center>\r\n</body>\r\n</html>\r\n`
      )
    case "json":
      return fault.endpoint === "token"
        ? Reply.oauthError(fault.status, "server_error", message)
        : Reply.apiError(fault.status, message)
  }
}

export const htmlOk = (): Reply.Reply =>
  Reply.html(200, Reply.htmlPage("Spotify", "Something went wrong. Please try again later."))

/** A 200 carrying only the first half of the body (with a matching Content-Length): bad input, not a transport error. */
export const truncate = (reply: Reply.Reply): Reply.Reply => ({
  status: 200,
  headers: reply.headers,
  body: reply.body.slice(0, Math.floor(reply.body.length / 2))
})

/** A 200 grant whose refresh_token is replaced by a blank value; any other answer as it was. */
export const blankRefreshToken = (reply: Reply.Reply, value: "" | " " | null): Reply.Reply => {
  if (reply.status !== 200) return reply
  const grant: unknown = JSON.parse(reply.body)
  return typeof grant === "object" && grant !== null ? { ...reply, body: JSON.stringify({ ...grant, refresh_token: value }) } : reply
}
