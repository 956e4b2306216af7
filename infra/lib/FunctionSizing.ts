import { runBudgetMs, safetyMarginMs } from "../../src/domain/Deployment.js"

/**
 * Measured, not guessed (`npm run bench`): one invocation peaks at about 130 MB RSS on Node 24
 * even under the heap limits Lambda sets for 128 MB, most of it code, not heap. 256 MB leaves
 * room for TLS and Lambda's own runtime client, and buys a faster cold start (CPU scales with it).
 */
export const functionMemoryMb = 256

/** The sync's budget plus the margin the handler keeps back to release the lease and report. */
export const functionTimeoutSeconds = (runBudgetMs + safetyMarginMs) / 1000
