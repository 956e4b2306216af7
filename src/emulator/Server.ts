import * as Http from "node:http"
import * as Cause from "effect/Cause"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as FiberSet from "effect/FiberSet"
import type * as Scope from "effect/Scope"
import * as Reply from "./Reply.js"
import type { Answer, Incoming } from "./Router.js"

// Plain node:http rather than @effect/platform's HttpServer: the emulator writes header names
// byte for byte (`Retry-After` and `retry-after` are both faults the tests need), and can leave a
// request unanswered on purpose ("hang"), neither of which HttpServerResponse expresses.
const maxBodyBytes = 1 << 20

const readBody = (request: Http.IncomingMessage) =>
  Effect.async<string>((resume) => {
    const chunks: Array<Buffer> = []
    let size = 0
    request.on("data", (chunk: Buffer) => {
      size += chunk.length
      if (size <= maxBodyBytes) chunks.push(chunk)
    })
    request.on("end", () => resume(Effect.succeed(Buffer.concat(chunks).toString("utf8"))))
    request.on("error", () => resume(Effect.interrupt))
  })

/** Header names go out in the case given (Node keeps it), so `Retry-After` vs `retry-after` is real. */
const write = (response: Http.ServerResponse, reply: Reply.Reply) =>
  Effect.sync(() => {
    if (response.destroyed || response.writableEnded) return
    response.statusCode = reply.status
    for (const [name, value] of reply.headers) response.setHeader(name, value)
    response.setHeader("Content-Length", Buffer.byteLength(reply.body))
    response.end(reply.body)
  })

const incomingOf = (request: Http.IncomingMessage, body: string): Incoming => {
  const target = request.url ?? "/"
  const mark = target.indexOf("?")
  const rawQuery = mark < 0 ? "" : target.slice(mark + 1)
  return {
    method: request.method ?? "GET",
    path: mark < 0 ? target : target.slice(0, mark),
    query: new URLSearchParams(rawQuery),
    rawQuery,
    headers: request.headers,
    body,
    baseUrl: `http://127.0.0.1:${request.socket.localPort ?? 0}`
  }
}

const serveOne = (
  request: Http.IncomingMessage,
  response: Http.ServerResponse,
  handle: (incoming: Incoming) => Effect.Effect<Answer>
) =>
  Effect.gen(function*() {
    response.on("error", () => undefined)
    const body = yield* readBody(request)
    const answer = yield* handle(incomingOf(request, body))
    if (answer !== "hang") yield* write(response, answer)
  }).pipe(
    Effect.catchAllCause((cause) =>
      Cause.isInterruptedOnly(cause)
        ? Effect.void
        : Effect.zipRight(Effect.logError("emulator request failed", cause), write(response, Reply.apiError(500, "Server error.")))
    )
  )

/**
 * Serves on 127.0.0.1 until the scope closes. Closing also cuts every open connection, so a
 * request left hanging by a "hang" fault ends there instead of holding the close forever.
 */
/** The emulator could not listen: the port is taken (or not allowed). */
export class EmulatorListenError extends Data.TaggedError("EmulatorListenError")<{ readonly message: string }> {}

export const listen = (
  port: number,
  handle: (incoming: Incoming) => Effect.Effect<Answer>
): Effect.Effect<string, EmulatorListenError, Scope.Scope> =>
  Effect.gen(function*() {
    const run = yield* FiberSet.makeRuntime<never>()
    const server = Http.createServer((request, response) => {
      run(serveOne(request, response, handle))
    })
    yield* Effect.acquireRelease(
      Effect.async<void, EmulatorListenError>((resume) => {
        server.once("error", (error: NodeJS.ErrnoException) =>
          resume(Effect.fail(
            new EmulatorListenError({
              message: error.code === "EADDRINUSE"
                ? `Port ${port} on 127.0.0.1 is in use by another program: stop it, or pass --port with another port ` +
                  "(--port 0 picks a free one)."
                : `The emulator could not listen on 127.0.0.1:${port}: ${error.message}`
            })
          )))
        server.listen(port, "127.0.0.1", () => resume(Effect.void))
      }),
      () =>
        Effect.async<void>((resume) => {
          server.close(() => resume(Effect.void))
          server.closeAllConnections()
        })
    )
    const address = server.address()
    if (address === null || typeof address === "string") return yield* Effect.dieMessage("the emulator has no TCP address")
    return `http://127.0.0.1:${address.port}`
  })
