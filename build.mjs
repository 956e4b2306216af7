// Bundles the CLI (`dist/cli.mjs`, a loader that turns on V8's compile cache and starts
// `dist/cli/main.mjs`, with the code of each command in chunks it loads only when run) and the
// Lambda handler (`dist/lambda/index.mjs`, zipped as `dist/lambda.zip`).
//   node build.mjs [--outdir DIR]     build everything (npm ci runs this as `prepare`)
//   node build.mjs --if-stale         build only when a source is newer than the bundle
//   node build.mjs --start ARGS...    the same, then run the CLI with ARGS in this process (`npm start`)
// esbuild and fflate are loaded only when something is built, so `npm start` costs one stat walk.
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { pathToFileURL } from "node:url"

const args = process.argv.slice(2)
const start = args[0] === "--start"
const ifStale = start || args[0] === "--if-stale"
const outdirAt = args.indexOf("--outdir")
const outdir = outdirAt >= 0 ? args[outdirAt + 1] ?? "dist" : "dist"
const cli = join(outdir, "cli.mjs")

const mtimeOf = (path) => stat(path).then((info) => info.mtimeMs, () => Number.NEGATIVE_INFINITY)

/** The newest modification among the sources, the lock file and this script. */
const newestSource = async () => {
  const files = (await readdir("src", { recursive: true })).map((name) => join("src", name))
  const times = await Promise.all([...files, "package-lock.json", "build.mjs"].map(mtimeOf))
  return Math.max(...times)
}

/**
 * An ES module import of node:http builds its namespace, reading every export, and three of them
 * (WebSocket, CloseEvent, MessageEvent) load Node's bundled undici: 40 ms and 13 MB at start, for
 * nothing we use. Taken through require() instead, http is loaded without them.
 */
const httpWithoutUndici = {
  name: "http-without-undici",
  setup(build) {
    build.onResolve({ filter: /^(node:)?http$/ }, () => ({ path: "node:http", namespace: "http-without-undici" }))
    build.onLoad({ filter: /.*/, namespace: "http-without-undici" }, () => ({
      loader: "js",
      contents: [
        "import { createRequire } from 'node:module'",
        "const http = createRequire(import.meta.url)('node:http')",
        "export default http",
        "export const { Agent, ClientRequest, IncomingMessage, OutgoingMessage, STATUS_CODES, Server, ServerResponse, METHODS,",
        "  createServer, get, globalAgent, maxHeaderSize, request, validateHeaderName, validateHeaderValue } = http"
      ].join("\n")
    }))
  }
}

/**
 * @effect/platform-node's file system imports node:crypto for one call (random names of temporary
 * files, which we never ask it for), and loading crypto is a tenth of a command's start: that
 * import gets crypto at its first use instead.
 */
const fileSystemWithLazyCrypto = {
  name: "file-system-with-lazy-crypto",
  setup(build) {
    build.onResolve({ filter: /^(node:)?crypto$/ }, ({ importer }) =>
      /platform-node-shared[\\/]dist[\\/]esm[\\/]internal[\\/]fileSystem\.js$/.test(importer)
        ? { path: "node:crypto", namespace: "file-system-with-lazy-crypto" }
        : undefined)
    build.onLoad({ filter: /.*/, namespace: "file-system-with-lazy-crypto" }, () => ({
      loader: "js",
      contents: [
        "import { createRequire } from 'node:module'",
        "const load = createRequire(import.meta.url)",
        "export const randomBytes = (...args) => load('node:crypto').randomBytes(...args)"
      ].join("\n")
    }))
  }
}

/**
 * The AWS SDK's clients describe every operation of their service in one generated module
 * (schemas/schemas_0.js: 484 shapes for S3, 69 KB minified) as array literals whose objects use
 * computed keys (`{ [_h]: [...] }`, `_h` a string constant of the module). esbuild cannot prove
 * a computed key free of side effects, so it kept every shape, used or not. With each such key
 * written as the string it names, the shapes the bundle never reaches are dropped (S3's module
 * comes to 13 KB, and the Lambda bundle's import evaluates 5% fewer instructions).
 */
const schemaKeysInlined = {
  name: "schema-keys-inlined",
  setup(build) {
    build.onLoad({ filter: /[\\/]@aws-sdk[\\/]client-[a-z0-9-]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/ }, async ({ path }) => {
      const text = await readFile(path, "utf8")
      const strings = new Map([...text.matchAll(/^const (_\w+) = ("[^"\\]*");$/gm)].map(([, name, value]) => [name, value]))
      // Only a key that opens an object or follows a comma: `{ [_h]: ...` or `, [_h]: ...`.
      const computedKey = /([{,]\s*)\[(_\w+)\]:/g
      return { loader: "js", contents: text.replace(computedKey, (key, before, name) => strings.has(name) ? `${before}${strings.get(name)}:` : key) }
    })
  }
}

const buildAll = async ({ quiet }) => {
  const { build } = await import("esbuild")
  const { zipSync } = await import("fflate")

  // Bundled CommonJS dependencies (the AWS SDK among them) still call require(); give ESM one.
  // Its names cannot meet the bundle's: esbuild does not rename around a banner.
  const banner = { js: "import { createRequire as __bannerCreateRequire } from 'node:module'; const require = __bannerCreateRequire(import.meta.url);" }
  const common = {
    bundle: true,
    platform: "node",
    format: "esm",
    minify: true,
    // Written beside the bundle for reading stack traces; never enabled at run time
    // (--enable-source-maps makes every stack trace slow to build).
    sourcemap: true,
    banner,
    // The ES module builds of the AWS SDK and Effect tree-shake; the CommonJS ones do not.
    mainFields: ["module", "main"],
    legalComments: "none",
    logLevel: "warning",
    plugins: [httpWithoutUndici, fileSystemWithLazyCrypto, schemaKeysInlined]
  }

  // Chunks from an earlier build would pile up: the CLI's folder is rebuilt whole.
  await rm(join(outdir, "cli"), { recursive: true, force: true })
  await rm(`${cli}.map`, { force: true })
  await build({
    ...common,
    entryPoints: { "cli/main": "src/entrypoints/cli.ts" },
    outdir,
    splitting: true,
    chunkNames: "cli/[name]-[hash]",
    outExtension: { ".js": ".mjs" },
    target: "node20",
    // DuckDB is a native addon: the CLI loads it from node_modules at run time.
    external: ["@duckdb/*"]
  })
  // Compiling the code is a third of a command's start: with the cache on (Node 22.1+; kept in
  // the system's temp folder, or NODE_COMPILE_CACHE), a command run again skips it. Enabled
  // before the CLI's modules load, hence a loader of its own.
  await writeFile(cli, [
    "import module from 'node:module'",
    "module.enableCompileCache?.()",
    "await import('./cli/main.mjs')",
    ""
  ].join("\n"))

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
    external: unusedOnLambda,
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

  if (quiet) process.stderr.write(`spotify-pipeline: the sources changed, so ${outdir}/ was built again\n`)
  else for (const file of [cli, join(outdir, "cli", "main.mjs"), lambda, zip]) console.log(`${file}: ${(await stat(file)).size} bytes`)
}

if (!ifStale || (await newestSource()) > (await mtimeOf(cli))) await buildAll({ quiet: start })

if (start) {
  // The CLI reads its arguments from process.argv, as if it had been started itself.
  process.argv = [process.argv[0], cli, ...args.slice(1)]
  await import(pathToFileURL(join(process.cwd(), cli)).href)
}
