import { execFileSync } from "node:child_process"
import { fileURLToPath } from "node:url"

/** The CLI tests run the bundle as `npm start` does: build it once, before any of them, if a source is newer. */
export default function setup() {
  execFileSync(process.execPath, ["build.mjs", "--if-stale"], { cwd: fileURLToPath(new URL("..", import.meta.url)), stdio: "inherit" })
}
