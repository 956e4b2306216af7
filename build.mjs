// Bundles the CLI (`node dist/cli.mjs sync`) and the Lambda handler (`dist/lambda/index.mjs`,
// zipped as `dist/lambda.zip` for `npm run deploy`). `node build.mjs --outdir DIR` builds elsewhere.
import { build } from "esbuild"
import { zipSync } from "fflate"
import { mkdir, readFile, stat, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { parseArgs } from "node:util"

const { values } = parseArgs({ options: { outdir: { type: "string", default: "dist" } } })
const outdir = values.outdir

// Bundled CommonJS dependencies (the AWS SDK among them) still call require(); give ESM one.
const banner = { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" }

const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  minify: true,
  // Written beside the bundle for reading stack traces; never enabled at run time
  // (--enable-source-maps makes every stack trace slow to build).
  sourcemap: true,
  banner,
  logLevel: "warning"
}

const cli = join(outdir, "cli.mjs")
// DuckDB is a native addon: the CLI loads it from node_modules at run time.
await build({ ...common, entryPoints: ["src/entrypoints/cli.ts"], outfile: cli, target: "node20", external: ["@duckdb/*"] })

// The SDK's fallback credential sources, which its default chain imports lazily and only when
// there are no credentials in the environment: on Lambda there always are (the function's role).
const unusedOnLambda = [
  "@aws-sdk/credential-provider-sso",
  "@aws-sdk/credential-provider-ini",
  "@aws-sdk/credential-provider-process",
  "@aws-sdk/credential-provider-web-identity"
]

// Everything else is bundled, the AWS SDK included: the runtime's own copy changes under us.
const lambda = join(outdir, "lambda", "index.mjs")
const { metafile } = await build({
  ...common,
  entryPoints: ["src/entrypoints/lambda.ts"],
  outfile: lambda,
  target: "node24",
  // The ES module builds of the AWS SDK tree-shake; the CommonJS ones (esbuild's default for node) do not.
  mainFields: ["module", "main"],
  external: unusedOnLambda,
  legalComments: "none",
  metafile: true
})
const leftOut = Object.values(metafile.outputs).flatMap((output) => output.imports)
  .filter((i) => i.external && !i.path.startsWith("node:") && !(unusedOnLambda.includes(i.path) && i.kind === "dynamic-import"))
if (leftOut.length > 0) throw new Error(`the Lambda bundle would import at run time: ${leftOut.map((i) => i.path).join(", ")}`)

// Fixed time stamps and modes: the same bundle gives the same zip, so CDK's asset hash only
// changes when the code does.
const zip = join(outdir, "lambda.zip")
const stamp = new Date("2000-01-01T00:00:00Z")
await mkdir(outdir, { recursive: true })
await writeFile(
  zip,
  zipSync({ "index.mjs": [await readFile(lambda), { mtime: stamp, os: 3, attrs: (0o100644 << 16) >>> 0 }] }, { level: 9 })
)

for (const file of [cli, lambda, zip]) {
  console.log(`${file}: ${(await stat(file)).size} bytes`)
}
