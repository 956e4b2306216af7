import { describe, expect, it } from "@effect/vitest"
import { readdirSync, readFileSync } from "node:fs"
import { dirname, join, normalize, relative } from "node:path"
import { fileURLToPath } from "node:url"

/*
 * The house rules on imports, read from the sources themselves: dependencies point one way
 * (entrypoints -> programs -> services -> report -> domain), no import loops, and no barrel import of
 * Effect's packages (a barrel pulls the whole package into every bundle).
 */

const root = fileURLToPath(new URL("../..", import.meta.url))
const src = join(root, "src")

const sources = (dir: string): ReadonlyArray<string> =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : []
  )

const specifiers = (file: string): ReadonlyArray<string> =>
  [...readFileSync(file, "utf8").matchAll(/^(?:import|export)\s[^;]*?from\s+"([^"]+)"/gms)].flatMap((m) => m[1] ?? [])

const localImports = (file: string) =>
  specifiers(file).filter((s) => s.startsWith(".")).map((s) => normalize(join(dirname(file), s.replace(/\.js$/, ".ts"))))

const files = sources(src)
const name = (file: string) => relative(src, file)

/** Lower layers first; a file may import only from its own layer or a lower one. */
const layers = ["domain", "report", "services", "programs", "entrypoints"] as const
const layerOf = (file: string) => layers.indexOf(name(file).split("/")[0] as (typeof layers)[number])

describe("imports in src/", () => {
  it("import Effect's packages by module, never through their barrels", () => {
    const barrels = /^(effect|@effect\/platform|@effect\/platform-node|@effect\/cli)$/
    const offending = files.flatMap((file) => specifiers(file).filter((s) => barrels.test(s)).map((s) => `${name(file)}: ${s}`))
    expect(offending).toEqual([])
  })

  it("point one way: entrypoints -> programs -> services -> report -> domain", () => {
    const upward = files.flatMap((file) =>
      localImports(file)
        .filter((target) => layerOf(file) >= 0 && layerOf(target) > layerOf(file))
        .map((target) => `${name(file)} -> ${name(target)}`)
    )
    expect(upward).toEqual([])
  })

  it("form no loops", () => {
    const graph = new Map(files.map((file) => [file, localImports(file)]))
    const loops: Array<string> = []
    const state = new Map<string, "open" | "done">()
    const visit = (file: string, path: ReadonlyArray<string>) => {
      if (state.get(file) === "done") return
      if (state.get(file) === "open") {
        loops.push([...path.slice(path.indexOf(file)), file].map(name).join(" -> "))
        return
      }
      state.set(file, "open")
      for (const next of graph.get(file) ?? []) visit(next, [...path, file])
      state.set(file, "done")
    }
    for (const file of files) visit(file, [])
    expect(loops).toEqual([])
  })

  it("sees the whole tree (the rules above cannot pass by reading nothing)", () => {
    expect(files.length).toBeGreaterThan(50)
    expect(files.some((file) => specifiers(file).some((s) => s.startsWith("effect/")))).toBe(true)
    expect(files.filter((file) => layerOf(file) === layers.indexOf("entrypoints")).length).toBeGreaterThan(3)
  })
})
