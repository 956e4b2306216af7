import { beforeAll, describe, expect, it } from "@effect/vitest"
import { execFile, execFileSync } from "node:child_process"
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"

/*
 * Every command the documentation shows must still work: each `npm` and `node` line of a ```sh
 * (or ```crontab) block in README.md and docs/*.md names a real script, and each CLI call a real
 * subcommand with options its `--help` lists. Sample output (```text blocks) is not read. Links
 * between the documents must lead somewhere.
 */

const root = fileURLToPath(new URL("../..", import.meta.url))
const docFiles = ["README.md", ...readdirSync(join(root, "docs")).filter((name) => name.endsWith(".md")).map((name) => `docs/${name}`)]

interface Command {
  readonly where: string
  readonly words: ReadonlyArray<string>
}

const shellBlock = /^(sh|bash|shell|zsh|crontab)$/

/**
 * Splits shell source into simple commands: words with their quotes removed; comments,
 * redirections and their targets dropped. `open` when a quote or a line continuation is left open.
 */
const scan = (text: string) => {
  const commands: Array<Array<string>> = [[]]
  let word: string | undefined
  let redirected = false
  const endWord = () => {
    if (word !== undefined && !redirected) commands[commands.length - 1]?.push(word)
    word = undefined
  }
  const lineEnd = (from: number) => text.indexOf("\n", from) === -1 ? text.length : text.indexOf("\n", from)
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? ""
    if (c === "\\") {
      if (i + 1 === text.length) return { commands, open: true }
      if (text[++i] !== "\n") word = (word ?? "") + text[i]
    } else if (c === "'" || c === "\"") {
      let j = i + 1
      for (; j < text.length && text[j] !== c; j++) {
        if (c === "\"" && text[j] === "\\" && /["\\$`]/.test(text[j + 1] ?? "")) j++
        word = (word ?? "") + (text[j] ?? "")
      }
      if (j >= text.length) return { commands, open: true }
      word = word ?? ""
      i = j
    } else if (c === "#" && word === undefined) i = lineEnd(i) - 1
    else if (c === ">" || c === "<") {
      if (word !== undefined && /^\d+$/.test(word)) word = undefined
      endWord()
      redirected = true
      while (text[i + 1] === ">" || text[i + 1] === "&") i++
    } else if (/[\n;&|()]/.test(c)) {
      endWord()
      redirected = false
      commands.push([])
    } else if (/\s/.test(c)) endWord()
    else word = (word ?? "") + c
  }
  endWord()
  return { commands: commands.filter((words) => words.length > 0), open: false }
}

/** The shell source of each ```sh block as statements (continued lines joined), with the line each starts on. */
const shellStatements = (markdown: string): ReadonlyArray<{ readonly line: number; readonly commands: ReadonlyArray<ReadonlyArray<string>> }> => {
  const statements: Array<{ line: number; commands: ReadonlyArray<ReadonlyArray<string>> }> = []
  let block: { readonly indent: number; readonly shell: boolean } | undefined
  let pending: { line: number; text: string } | undefined
  const flush = (force: boolean) => {
    if (pending === undefined) return
    const { commands, open } = scan(pending.text)
    if (open && !force) return
    statements.push({ line: pending.line, commands })
    pending = undefined
  }
  markdown.split("\n").forEach((raw, index) => {
    const fence = /^(\s*)```\s*(\S*)/.exec(raw)
    if (fence !== null) {
      flush(true)
      block = block === undefined ? { indent: fence[1]?.length ?? 0, shell: shellBlock.test(fence[2] ?? "") } : undefined
    } else if (block?.shell === true) {
      const text = raw.slice(Math.min(block.indent, raw.length - raw.trimStart().length))
      pending = pending === undefined ? { line: index + 1, text } : { line: pending.line, text: `${pending.text}\n${text}` }
      flush(false)
    }
  })
  return statements
}

/** The npm and node commands of a document (env assignments in front dropped; `export` lines are not commands). */
const commandsIn = (file: string, markdown: string): ReadonlyArray<Command> =>
  shellStatements(markdown).flatMap(({ commands, line }) =>
    commands.flatMap((words) => {
      const first = words.findIndex((word) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(word))
      const rest = first === -1 ? [] : words.slice(first)
      return rest[0] === "npm" || rest[0] === "node" ? [{ where: `${file}:${line}`, words: rest }] : []
    })
  )

interface CliHelp {
  readonly commands: ReadonlyMap<string, ReadonlySet<string>>
}

const npmBuiltins = new Set(["ci", "install", "test", "start"])
const npmFlags = /^(-s|--silent|-q|--quiet|--loglevel=\w+)$/
const always = new Set(["--help", "-h"])

/** What is wrong with one CLI call (its arguments after `npm start --` or `node dist/cli.mjs`). */
const checkCli = (args: ReadonlyArray<string>, help: CliHelp): ReadonlyArray<string> => {
  const [name, ...rest] = args
  if (name === undefined) return []
  if (name.startsWith("-")) return always.has(name) || name === "--version" ? [] : [`the CLI has no option ${name}`]
  const options = help.commands.get(name)
  if (options === undefined) return [`the CLI has no command ${name} (it has ${[...help.commands.keys()].join(", ")})`]
  const end = rest.indexOf("--")
  return (end === -1 ? rest : rest.slice(0, end)).filter((arg) => arg.startsWith("-")).map((arg) => arg.split("=")[0] ?? arg)
    .filter((option) => !always.has(option) && !options.has(option))
    .map((option) => `${name} has no option ${option} (it has ${[...options].join(", ") || "none"})`)
}

const checkNpm = (words: ReadonlyArray<string>, scripts: ReadonlySet<string>, help: CliHelp): ReadonlyArray<string> => {
  const args = words.slice(1).filter((word, i, all) => !(npmFlags.test(word) && !all.slice(0, i).includes("--")))
  const [verb, ...rest] = args
  if (verb === undefined) return ["npm with no command"]
  const [script, after] = verb === "run" || verb === "run-script" ? [rest[0], rest.slice(1)] : [verb, rest]
  if (script === undefined) return ["npm run with no script"]
  if (verb !== "run" && verb !== "run-script" && !npmBuiltins.has(verb)) return [`npm has no command ${verb} (a script runs as npm run ${verb})`]
  if (!npmBuiltins.has(script) && !scripts.has(script)) return [`package.json has no script ${script}`]
  if (script !== "start" && script !== "dev") return []
  if (after.length > 0 && after[0] !== "--") return [`the CLI's arguments go after --: ${words.join(" ")}`]
  return checkCli(after.slice(1), help)
}

const checkNode = (words: ReadonlyArray<string>, help: CliHelp): ReadonlyArray<string> => {
  const args = words.slice(1)
  if (args.some((arg) => arg === "-e" || arg === "--eval" || arg === "-p" || arg === "--print")) return []
  const at = args.findIndex((arg) => !arg.startsWith("-"))
  const script = args[at]
  if (script === undefined) return []
  if (script === "dist/cli.mjs") return checkCli(args.slice(at + 1), help)
  return existsSync(join(root, script)) ? [] : [`node runs ${script}, which the repository does not have`]
}

/** Every problem with the commands of `markdown`, as `file:line: command: problem`. */
const problemsIn = (file: string, markdown: string, scripts: ReadonlySet<string>, help: CliHelp) =>
  commandsIn(file, markdown).flatMap(({ where, words }) =>
    (words[0] === "npm" ? checkNpm(words, scripts, help) : checkNode(words, help)).map((problem) =>
      `${where}: ${words.join(" ").replace(/\s+/g, " ").slice(0, 120)}: ${problem}`
    )
  )

const run = promisify(execFile)
const cli = (args: ReadonlyArray<string>) =>
  run(process.execPath, [join(root, "dist/cli.mjs"), ...args], { cwd: root, env: { ...process.env, NO_COLOR: "1" } })
    .then(({ stdout }) => stdout)

const optionsIn = (text: string) => new Set([...text.matchAll(/(?<![\w-])--[a-z][a-z0-9-]*/g)].map((match) => match[0]))

let help: CliHelp = { commands: new Map() }
const scripts = new Set(Object.keys(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts as Record<string, string>))

beforeAll(async () => {
  // The tests check the bundle users run (`npm start`); it is rebuilt only when a source is newer.
  execFileSync(process.execPath, ["build.mjs", "--if-stale"], { cwd: root, stdio: "ignore" })
  const rootHelp = await cli(["--help"])
  const names = [...rootHelp.matchAll(/^\s*- ([a-z][a-z-]*)/gm)].flatMap((match) => match[1] ?? [])
  const helps = await Promise.all(names.map((name) => cli([name, "--help"])))
  help = { commands: new Map(names.map((name, i) => [name, optionsIn(helps[i] ?? "")])) }
}, 120_000)

describe("commands in README.md and docs/", () => {
  it("name real scripts, subcommands and options", () => {
    const problems = docFiles.flatMap((file) => problemsIn(file, readFileSync(join(root, file), "utf8"), scripts, help))
    expect(problems).toEqual([])
  })

  it("reach every document and every CLI command (the check above cannot pass by reading nothing)", () => {
    expect(help.commands.size).toBeGreaterThanOrEqual(9)
    expect([...(help.commands.get("sync") ?? [])]).toEqual(["--json"])
    const found = docFiles.flatMap((file) => commandsIn(file, readFileSync(join(root, file), "utf8")))
    expect(found.length).toBeGreaterThan(40)
    const documents = new Set(found.map((command) => command.where.split(":")[0]))
    expect(documents.has("README.md")).toBe(true)
    expect(documents.size).toBeGreaterThanOrEqual(6)
  })

  it("list every CLI command in the README's command table", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8")
    expect([...help.commands.keys()].filter((name) => !readme.includes(`| \`${name}`))).toEqual([])
  })

  it("link only to files and headings that exist", () => {
    const slug = (heading: string) => heading.toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, "").replace(/ /g, "-")
    const headings = (file: string) =>
      new Set([...readFileSync(join(root, file), "utf8").matchAll(/^#+ (.+)$/gm)].map((match) => slug(match[1] ?? "")))
    const broken = docFiles.flatMap((file) =>
      [...readFileSync(join(root, file), "utf8").matchAll(/\]\(([^)\s]+)\)/g)].flatMap((match) => {
        const [target = "", anchor] = (match[1] ?? "").split("#")
        if (/^[a-z]+:/.test(target)) return []
        const linked = target === "" ? file : join(dirname(file), target)
        if (!existsSync(join(root, linked))) return [`${file}: ${match[1]}: no such file`]
        return anchor === undefined || !linked.endsWith(".md") || headings(linked).has(anchor) ? [] : [`${file}: ${match[1]}: no such heading`]
      })
    )
    expect(broken).toEqual([])
  })

  it("flag a command, option or script that does not exist", () => {
    const markdown = [
      "```sh",
      "npm start -- synx",
      "npm start --silent -- sync --jsn   # a comment --nope",
      "LAKE_URL=./x node dist/cli.mjs query --tz UTC \"SELECT 1\" --csvv",
      "npm run nope && npm demo",
      "npm start -- import my_spotify_data.zip \\",
      "  --tolerance 60 --tolerances 60",
      "export SPOTIFY_CLIENT_ID=<client id>",
      "```",
      "```text",
      "npm start -- not-checked --at-all",
      "```"
    ].join("\n")
    expect(problemsIn("example.md", markdown, scripts, help).map((problem) => problem.split(": ").at(-1))).toEqual([
      `the CLI has no command synx (it has ${[...help.commands.keys()].join(", ")})`,
      "sync has no option --jsn (it has --json)",
      "query has no option --csvv (it has --json, --csv, --tz)",
      "package.json has no script nope",
      "npm has no command demo (a script runs as npm run demo)",
      "import has no option --tolerances (it has --json, --tolerance)"
    ])
  })
})
