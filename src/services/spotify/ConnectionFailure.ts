export interface ConnectionFailure {
  readonly reason: "Refused" | "NameNotFound" | "Tls" | "Network" | "Timeout"
  /** What went wrong, in words, with the system's error code. */
  readonly description: string
}

const tlsCode = /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH)/

/** The first `code` along an error's `cause` chain (fetch wraps the socket's error; node:http does not). */
const codeOf = (error: unknown): string | undefined => {
  for (let current = error, depth = 0; typeof current === "object" && current !== null && depth < 5; depth++) {
    if ("code" in current && typeof current.code === "string") return current.code
    current = "cause" in current ? current.cause : undefined
  }
  return undefined
}

/** Names a failure to connect or to get an answer, from the system's error code. */
export const connectionFailure = (error: unknown): ConnectionFailure => {
  const code = codeOf(error)
  switch (true) {
    case code === "ECONNREFUSED":
      return { reason: "Refused", description: "connection refused (ECONNREFUSED): nothing listens there" }
    case code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NONAME":
      return { reason: "NameNotFound", description: `DNS name not found (${code})` }
    case code !== undefined && tlsCode.test(code):
      return { reason: "Tls", description: `TLS failed (${code}): the server's certificate was not accepted` }
    case code === "ETIMEDOUT" || code === "UND_ERR_CONNECT_TIMEOUT" || code === "UND_ERR_HEADERS_TIMEOUT":
      return { reason: "Timeout", description: `the connection timed out (${code})` }
    case code === "ECONNRESET" || code === "EPIPE" || code === "UND_ERR_SOCKET":
      return { reason: "Network", description: `the connection was reset (${code})` }
    default:
      return { reason: "Network", description: `the connection failed (${code ?? "no error code"})` }
  }
}
