import * as Console from "effect/Console"
import * as Effect from "effect/Effect"

/** The oldest Node.js the AWS SDK supports from 2027 (and so do we); Lambda runs 24. */
const oldestSupported = 22

/**
 * On an older Node.js, one line says so (instead of the AWS SDK's nine, on every S3 command),
 * and the SDK's own warning is turned off.
 */
export const nodeVersionNotice = Effect.suspend(() => {
  const major = Number(process.versions.node.split(".")[0])
  if (major >= oldestSupported) return Effect.void
  process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] = "true"
  return Console.error(
    `Note: spotify-pipeline needs Node.js ${oldestSupported} or newer (24 recommended); this is ${process.version}, ` +
      "past its end of life. It runs for now; upgrade Node.js."
  )
})
