import { Effect } from "effect"
import type { Server } from "node:http"

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
