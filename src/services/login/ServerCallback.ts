import type { ServeError } from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import { createServer } from "node:http"
import { type AuthorizationResponse, authorizationResponseFromQuery } from "../../domain/AuthorizationResponse.js"
import { callbackPath, LoopbackCallback, LoopbackCallbackError, type RedirectListener, redirectUriFor } from "./LoopbackCallback.js"

const page = (status: number, title: string, text: string) =>
  HttpServerResponse.text(
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>` +
      `<body><h1>${title}</h1><p>${text}</p></body></html>\n`,
    // One answer per connection: a browser's idle keep-alive connection would hold up closing the server.
    { status, contentType: "text/html; charset=utf-8", headers: { "cache-control": "no-store", connection: "close" } }
  )

interface Waiting {
  readonly state: string
  readonly answer: Deferred.Deferred<AuthorizationResponse>
}

/**
 * Answers the browser at /callback. Only an answer carrying the state of the login waiting here
 * is taken: any page open in the browser can send a request to a loopback port, and a forged or
 * stale one must not end the login. Spotify's answer is not echoed into the page.
 */
const callbackApp = (waiting: Ref.Ref<Option.Option<Waiting>>) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const url = new URL(request.url, "http://127.0.0.1")
    if (request.method !== "GET" || url.pathname !== callbackPath) {
      return page(404, "Not found", "spotify-pipeline only waits for Spotify's answer at /callback.")
    }
    const decoded = authorizationResponseFromQuery(url.searchParams)
    if (Option.isNone(decoded)) {
      return page(400, "Not Spotify's answer", "This address carries neither a code nor an error; still waiting for Spotify.")
    }
    const current = yield* Ref.get(waiting)
    if (Option.isNone(current) || decoded.value.state !== current.value.state) {
      return page(400, "Not this login's answer", "This answer does not belong to the login waiting here; still waiting for Spotify.")
    }
    yield* Deferred.succeed(current.value.answer, decoded.value)
    return page(200, "Back from Spotify", "spotify-pipeline received Spotify's answer. You can close this tab and return to the terminal.")
  })

/** How long answers still being written when the login ends may take before their connections are closed. */
const lingerMs = 1000

/** Port `port` is taken: a free one to suggest instead, found by letting the OS pick. */
const freePort = Effect.scoped(
  Effect.flatMap(NodeHttpServer.make(createServer, { port: 0, host: "127.0.0.1" }), (server) =>
    Effect.succeed(server.address._tag === "TcpAddress" ? server.address.port : 0))
).pipe(Effect.orElseSucceed(() => 0))

const cannotListen = (port: number) => (error: ServeError) =>
  Effect.gen(function*() {
    const busy = String(error.cause).includes("EADDRINUSE")
    if (!busy) {
      return new LoopbackCallbackError({
        reason: "Unavailable",
        message: `Could not listen on 127.0.0.1:${port} for Spotify's answer: ${String(error.cause)}`,
        cause: error
      })
    }
    const other = yield* freePort
    return new LoopbackCallbackError({
      reason: "PortInUse",
      message: `Port ${port} on 127.0.0.1 is in use by another program: stop it, or use another port, for example ` +
        `\`--port ${other}\`, after adding ${redirectUriFor(other)} as a redirect URI of your Spotify app.`,
      cause: error
    })
  })

const listen = Effect.fn("LoopbackCallback.listen")(function*(port: number) {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    return yield* new LoopbackCallbackError({ reason: "Unavailable", message: `${port} is not a TCP port (0 to 65535).` })
  }
  const waiting = yield* Ref.make(Option.none<Waiting>())
  const node = createServer()
  const server = yield* NodeHttpServer.make(() => node, { port, host: "127.0.0.1" }).pipe(
    Effect.catchTag("ServeError", (error) => Effect.flatMap(cannotListen(port)(error), Effect.fail))
  )
  // When the login ends, the server stops listening at once. A request still open then (one
  // that came as the wait ran out) gets no answer, and waiting for its connection to end would
  // hold the login up for as long as the browser keeps it: answers being written get a moment
  // to finish, then every connection left is closed.
  yield* Effect.addFinalizer(() =>
    Effect.sync(() => {
      node.close()
      node.closeIdleConnections()
      setTimeout(() => node.closeAllConnections(), lingerMs).unref()
    })
  )
  yield* server.serve(callbackApp(waiting))
  const bound = server.address._tag === "TcpAddress" ? server.address.port : port
  const redirect = (state: string) =>
    Effect.gen(function*() {
      const answer = yield* Deferred.make<AuthorizationResponse>()
      yield* Ref.set(waiting, Option.some({ state, answer }))
      return yield* Deferred.await(answer)
    })
  return { redirectUri: redirectUriFor(bound), redirect } satisfies RedirectListener
})

/** An HTTP server on 127.0.0.1 only (port 0: the OS picks one), until the scope closes. */
export const layer: Layer.Layer<LoopbackCallback> = Layer.succeed(LoopbackCallback, { listen })

