// Plays AWS Lambda's Node.js runtime for a bundled handler, in its own process (the smoke test
// and the benchmark start it under Node 24): `node lambda-runtime.mjs <plan.json>`.
//
// The plan: { "handler": "/abs/index.mjs", "results": "/abs/results.json",
//   "invocations": [{ "event": {...}, "requestId": "...", "timeoutMs": 320000 }] } (none: the import only)
// Like the runtime, it imports the module once, refuses a handler that declares a callback, and
// calls the exported async `handler(event, context)` for each invocation in turn with a context whose remaining time counts down; a
// thrown error is recorded as { errorType, errorMessage }. The results file gets every outcome,
// the time the import took, when the last invocation ended, the process's peak RSS and whether
// anything loaded undici.
import { readFileSync, writeFileSync } from "node:fs"
import { basename, dirname } from "node:path"
import { pathToFileURL } from "node:url"

const plan = JSON.parse(readFileSync(process.argv[2], "utf8"))
const started = performance.now()
const module = await import(pathToFileURL(plan.handler).href)
const imported = performance.now()
// As Node.js 24 runtimes do at init: a handler declaring a third (callback) parameter is refused.
if (module.handler.length >= 3) {
  throw new Error("Runtime.CallbackHandlerDeprecated: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24")
}

const outcomes = []
for (const invocation of plan.invocations) {
  const deadline = Date.now() + invocation.timeoutMs
  const context = {
    awsRequestId: invocation.requestId,
    functionName: "spotify-pipeline-sync",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:spotify-pipeline-sync",
    memoryLimitInMB: "128",
    logGroupName: "/aws/lambda/spotify-pipeline-sync",
    logStreamName: `2026/11/01/[$LATEST]${basename(dirname(plan.handler))}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now())
  }
  try {
    outcomes.push({ requestId: invocation.requestId, ok: true, value: await module.handler(invocation.event, context) })
  } catch (error) {
    outcomes.push({
      requestId: invocation.requestId,
      ok: false,
      errorType: error instanceof Error ? error.name : typeof error,
      errorMessage: error instanceof Error ? error.message : String(error)
    })
  }
}

writeFileSync(
  plan.results,
  JSON.stringify({
    node: process.version,
    importMs: imported - started,
    doneMs: performance.now() - started,
    maxRssKb: process.resourceUsage().maxRSS,
    // Node's fetch implementation loads on first use of fetch, Request, Response or Headers.
    loadedUndici: process.moduleLoadList.some((name) => name.includes("undici")),
    memory: process.memoryUsage(),
    outcomes
  })
)
// Like a frozen Lambda container, nothing the handler left open may keep the process alive.
process.exit(0)
