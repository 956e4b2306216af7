import { addEqualityTesters } from "@effect/vitest"

addEqualityTesters()

// On Node 20 the AWS SDK warns, once per process, that its 2027 releases need Node 22: true, but
// no test's subject. The SDK reads this variable when it first builds a client.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true"
