import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Http from "node:http"
import { type AuthorizationResponse, authorizationResponseFromQuery } from "../../domain/AuthorizationResponse.js"
import { callbackPath, LoopbackCallback, LoopbackCallbackError, type RedirectListener, redirectUriFor } from "./LoopbackCallback.js"

const page = (title: string, text: string) =>
  `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body><h1>${title}</h1><p>${text}</p></body></html>\n`

const answer = (response: Http.ServerResponse, status: number, title: string, text: string, sent?: () => void) => {
  response.writeHead(status, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", Connection: "close" })
  response.end(page(title, text), sent)
}

// Spotify's answer is not echoed into the page: the terminal says what it meant.
const handler = (received: Deferred.Deferred<AuthorizationResponse>) => (request: Http.IncomingMessage, response: Http.ServerResponse) => {
  const url = new URL(request.url ?? "/", "http://127.0.0.1")
  if (request.method !== "GET" || url.pathname !== callbackPath) {
    return answer(response, 404, "Not found", "spotify-pipeline only waits for Spotify's answer at /callback.")
  }
  const decoded = authorizationResponseFromQuery(url.searchParams)
  if (Option.isNone(decoded)) {
    return answer(response, 400, "Not Spotify's answer", "This address carries neither a code nor an error; still waiting for Spotify.")
  }
  answer(
    response,
    200,
    "Back from Spotify",
    "spotify-pipeline received Spotify's answer. You can close this tab and return to the terminal.",
    () => Deferred.unsafeDone(received, Exit.succeed(decoded.value))
  )
}

const listening = (server: Http.Server, port: number) =>
  Effect.async<void, LoopbackCallbackError>((resume) => {
    const onError = (error: NodeJS.ErrnoException) =>
      resume(Effect.fail(
        error.code === "EADDRINUSE"
          ? new LoopbackCallbackError({
            reason: "PortInUse",
            message: `Port ${port} on 127.0.0.1 is in use by another program: stop it, or pass --port with a free port ` +
              `(and list ${redirectUriFor(port)} with that port as a redirect URI of your Spotify app).`,
            cause: error
          })
          : new LoopbackCallbackError({
            reason: "Unavailable",
            message: `Could not listen on 127.0.0.1:${port} for Spotify's answer: ${error.message}`,
            cause: error
          })
      ))
    server.once("error", onError)
    server.listen(port, "127.0.0.1", () => {
      server.off("error", onError)
      resume(Effect.void)
    })
  })

const closed = (server: Http.Server) =>
  Effect.async<void>((resume) => {
    server.close(() => resume(Effect.void))
    server.closeAllConnections()
  })

const listen = Effect.fn("LoopbackCallback.listen")(function*(port: number) {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    return yield* new LoopbackCallbackError({ reason: "Unavailable", message: `${port} is not a TCP port (0 to 65535).` })
  }
  const received = yield* Deferred.make<AuthorizationResponse>()
  const server = Http.createServer(handler(received))
  yield* Effect.acquireRelease(listening(server, port), () => closed(server))
  const address = server.address()
  const bound = address !== null && typeof address === "object" ? address.port : port
  return { redirectUri: redirectUriFor(bound), redirect: Deferred.await(received) } satisfies RedirectListener
})

/** An HTTP server on 127.0.0.1 only (port 0: the OS picks one); the first request to /callback carrying a code or an error is the answer. */
export const layer: Layer.Layer<LoopbackCallback> = Layer.succeed(LoopbackCallback, { listen })
