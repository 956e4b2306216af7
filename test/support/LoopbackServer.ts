import { Effect, type Scope } from "effect"
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"

/** The address a server listening on 127.0.0.1 with an OS-picked port answers at. */
export const loopbackEndpoint = (server: Server) => {
  const address = server.address()
  return `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`
}

/** Closes the server, cutting connections a test left hanging. */
export const closeServer = (server: Server) =>
  Effect.async<void>((resume) => {
    server.closeAllConnections()
    server.close(() => resume(Effect.void))
  })

/** A server listening on 127.0.0.1 at an OS-picked port (answering nothing without `handle`), closed with the scope. */
export const loopbackServer = (
  handle?: (request: IncomingMessage, response: ServerResponse) => void
): Effect.Effect<Server, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.async<Server>((resume) => {
      const server = createServer(handle)
      server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
    }),
    closeServer
  )

/** A loopback port that was just free: connecting to it is refused. */
export const closedPort = Effect.scoped(Effect.map(loopbackServer(), (server) => Number(new URL(loopbackEndpoint(server)).port)))

/** The whole body of a request. */
export const readBody = (request: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Array<Buffer> = []
    request.on("data", (chunk: Buffer) => chunks.push(chunk))
    request.on("end", () => resolve(Buffer.concat(chunks)))
    request.on("error", reject)
  })
