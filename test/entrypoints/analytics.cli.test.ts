import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { exportRow, handLake, play } from "../support/HandLake.js"
import { runCli } from "../support/SpawnCli.js"

const lakeWithListens = handLake({
  plays: [play("2024-03-01T10:00:00Z", "Live, One", "Quote \"Band\""), play("2024-03-01T10:05:00Z", "Live Two", "Quote \"Band\"")],
  exports: [exportRow("extended", "2023-06-01T10:00:00Z", "Exported", "Older Band")]
})

// Each case starts several fresh processes (each loading DuckDB): seconds each on a loaded machine.
describe("models, query and report (a real process, configured by environment variables only)", () => {
  it.scoped("models builds and tests, then finds nothing changed; query answers as a table, --json and --csv", () =>
    Effect.gen(function*() {
      const lake = yield* lakeWithListens
      const env = { LAKE_URL: lake, TZ: "Europe/Paris" }
      const first = yield* runCli(["models"], env)
      expect(first.stderr).toBe("")
      expect(first.code).toBe(0)
      expect(first.stdout).toMatch(/^listens\s+built\s+3 rows$/m)
      expect(first.stdout).toMatch(/models rebuilt and \d+ tests passed; Parquet written under/)
      const again = yield* runCli(["models", "--json"], env)
      expect(JSON.parse(again.stdout)).toMatchObject({ written: [], models: expect.arrayContaining([{ name: "listens", status: "fresh", rows: 3 }]) })

      const sql = "SELECT artist_name, listens FROM top_artists WHERE period = 'all' ORDER BY rank_by_listens, artist_name"
      const table = yield* runCli(["query", sql], env)
      expect(table.stdout.split("\n")).toEqual(["artist_name   listens", "------------  -------", "Quote \"Band\"        2", "Older Band          1", "(2 rows)", ""])
      const json = yield* runCli(["query", "--json", sql], env)
      expect(json.stdout.trim().split("\n").map((line) => JSON.parse(line))).toEqual([
        { artist_name: "Quote \"Band\"", listens: 2 },
        { artist_name: "Older Band", listens: 1 }
      ])
      const csv = yield* runCli(["query", "--csv", "SELECT track_name FROM listens WHERE in_api ORDER BY ended_at"], env)
      expect(csv.stdout).toBe("track_name\n\"Live, One\"\nLive Two\n")
      // More rows than a call takes as arguments: the table's widths are a fold, not Math.max(...rows).
      const long = yield* runCli(["query", "SELECT range AS n FROM range(200000)"], env)
      expect(long.stderr).toBe("")
      expect(long.code).toBe(0)
      const lines = long.stdout.trimEnd().split("\n")
      expect(lines.slice(0, 3)).toEqual(["     n", "------", "     0"])
      expect(lines.at(-1)).toBe("(200000 rows)")
    }), 120_000)

  it.scoped("bad SQL is one sentence on stderr and exit code 1; so is an unknown time zone", () =>
    Effect.gen(function*() {
      const lake = yield* lakeWithListens
      const bad = yield* runCli(["query", "SELECT nope FROM listens"], { LAKE_URL: lake })
      expect(bad.code).toBe(1)
      expect(bad.stdout).toBe("")
      expect(bad.stderr.trim().split("\n")).toEqual([
        "Your query did not run: Binder Error: Referenced column \"nope\" not found in FROM clause!"
      ])
      const zone = yield* runCli(["query", "--tz", "Mars/Olympus", "SELECT 1"], { LAKE_URL: lake })
      expect(zone.code).toBe(1)
      expect(zone.stderr).toContain("unknown time zone \"Mars/Olympus\"")
      // An offset passes Intl on Node 24 but not DuckDB: refused before any model is built.
      const offset = yield* runCli(["query", "--tz", "+01:00", "SELECT 1"], { LAKE_URL: lake })
      expect(offset.code).toBe(1)
      expect(offset.stderr.trim().split("\n")).toHaveLength(1)
      expect(offset.stderr).toContain("\"+01:00\"")
      // Usage errors (exit code 2), one sentence each, before any model is built.
      const usage = [
        [["query", "--json", "--csv", "SELECT 1"], "Choose one of --json and --csv, not both."],
        [["query", " "], "No SQL was given: query runs one SQL query."],
        [["report", "--year", "1999"], "--year must be a year from 2000 to 2100."]
      ] as const
      for (const [args, sentence] of usage) {
        const result = yield* runCli(args, { LAKE_URL: lake })
        expect([result.code, result.stderr.trim()], args.join(" ")).toEqual([2, sentence])
      }
      // A line break in a value stays inside its cell.
      const broken = yield* runCli(["query", "SELECT 'a' || chr(10) || 'b' AS x"], { LAKE_URL: lake })
      expect(broken.stdout.split("\n")).toEqual(["x", "----", "a\\nb", "(1 row)", ""])
      // So does a terminal escape, in a cell and in an error quoting the query.
      const escape = yield* runCli(["query", "SELECT 'a' || chr(27) || '[2Jb' AS x"], { LAKE_URL: lake })
      expect(escape.stdout.split("\n")).toEqual(["x", "-----------", "a\\u001b[2Jb", "(1 row)", ""])
      const quoted = yield* runCli(["query", "SELECT \"x\u001b[2J\" FROM listens"], { LAKE_URL: lake })
      expect(quoted.code).toBe(1)
      expect(quoted.stderr).toContain("x\\u001b[2J")
      expect(quoted.stderr).not.toContain("\u001b")
      // A mistyped LAKE_URL answers nothing and makes no folder: it is named.
      for (const command of [["models"], ["query", "SELECT 1"], ["report"]]) {
        const missing = yield* runCli(command, { LAKE_URL: `${lake}-typo` })
        expect([missing.code, missing.stderr.trim()], command[0]).toEqual([
          1,
          `No lake at ${lake}-typo: the folder does not exist (check LAKE_URL; a sync or an import makes it).`
        ])
        expect(existsSync(`${lake}-typo`)).toBe(false)
      }
      // A report built but not written: the place and why, in one sentence.
      const nowhere = yield* runCli(["report", "--out", `${lake}/no/such/folder/report.html`], { LAKE_URL: lake })
      expect(nowhere.code).toBe(1)
      expect(nowhere.stderr.trim()).toBe(`The report could not be written to ${lake}/no/such/folder/report.html: its folder does not exist.`)
      // TZ set but empty is UTC, as POSIX reads it (ICU calls the system's zone Etc/Unknown then).
      const empty = yield* runCli(["query", "--json", "SELECT 1 AS one"], { LAKE_URL: lake, TZ: "" })
      expect(empty.stderr).toBe("")
      expect(empty.stdout).toBe("{\"one\":1}\n")
    }), 60_000)

  it.scoped("report --out writes one HTML file with its charts; a year without listens is named", () =>
    Effect.gen(function*() {
      const lake = yield* lakeWithListens
      const out = join(lake, "my-report.html")
      const result = yield* runCli(["report", "--out", out, "--year", "2024", "--tz", "Europe/Paris"], { LAKE_URL: lake })
      expect(result.stderr).toBe("")
      expect(result.stdout).toContain(`Report written to ${out}`)
      const html = readFileSync(out, "utf8")
      expect(html).toContain("<h1><span class=\"year\">2024</span> in music</h1>")
      expect(html.match(/<svg/g)?.length).toBeGreaterThan(8)
      const missing = yield* runCli(["report", "--out", join(lake, "other.html"), "--year", "2019"], { LAKE_URL: lake })
      expect(missing.code).toBe(1)
      expect(missing.stderr.trim()).toBe("the history has no listen in 2019 (it has 2023, 2024)")
      expect(existsSync(join(lake, "other.html"))).toBe(false)
    }), 60_000)
})
