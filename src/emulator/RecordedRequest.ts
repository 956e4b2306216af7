import type { Fault } from "./Fault.js"

/** One request as the emulator saw it. Token-bearing values never appear here. */
export interface RecordedRequest {
  readonly method: string
  readonly path: string
  readonly query: Readonly<Record<string, string>>
  /** The `grant_type` of a POST /api/token, else null. */
  readonly grantType: string | null
  /** The status answered, or null while unanswered (a hang, or still in flight). */
  readonly status: number | null
  readonly fault: Fault["kind"] | null
}

const secretKeys = new Set(["access_token", "refresh_token", "code", "code_verifier", "client_secret"])

export const recordQuery = (query: URLSearchParams): Readonly<Record<string, string>> =>
  Object.fromEntries([...query].map(([key, value]) => [key, secretKeys.has(key) ? "<redacted>" : value]))
