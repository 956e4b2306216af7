// Bundles the CLI into one ESM file for running without tsx: `node dist/cli.mjs sync`.
import { build } from "esbuild"
import { stat } from "node:fs/promises"

const outfile = "dist/cli.mjs"

await build({
  entryPoints: ["src/entrypoints/cli.ts"],
  outfile,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  minify: true,
  sourcemap: true,
  // Bundled CommonJS dependencies still call require(); give ESM one.
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  logLevel: "warning"
})

const { size } = await stat(outfile)
console.log(`${outfile}: ${size} bytes`)
