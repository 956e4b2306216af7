import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { chromium } from "playwright-core"
import { buildReport } from "../../src/programs/BuildReport.js"
import { writeGeneratedLake } from "../support/GeneratedLake.js"
import { analyticsOver } from "../support/HandLake.js"

/*
 * The report as a person sees it: Debian's Chromium, headless, opening the file with no network.
 * CI installs chromium (.ci/run), so there this never skips; elsewhere it skips, and says why,
 * only when no chromium is installed.
 */

const chromiumPath = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find(
  (candidate): candidate is string => candidate !== undefined && existsSync(candidate)
)
const required = process.env.CI === "true"
const run = chromiumPath !== undefined || required ? describe : describe.skip
const title = chromiumPath !== undefined || required
  ? "the report in headless Chromium"
  : "the report in headless Chromium (SKIPPED: no chromium found; apt-get install chromium)"

/** For people to look at after a run (git ignores it). */
const screenshot = new URL("../../test-results/report.png", import.meta.url).pathname

const browserArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync"
]

run(title, () => {
  it("opens offline with no error and no request, draws marks in every chart, and prints", async () => {
    const dir = mkdtempSync(join(tmpdir(), "report-browser-"))
    try {
      const lake = join(dir, "lake")
      writeGeneratedLake(lake, { listens: 9_000, days: 420, lastDay: "2026-11-20", liveDays: 70, seed: 5 })
      const html = await Effect.runPromise(
        buildReport({ vars: { tz: "Europe/Paris" }, year: undefined, progress: () => Effect.void }).pipe(
          Effect.provide(analyticsOver(lake)),
          Effect.scoped
        )
      )
      expect(html).not.toMatch(/<script/i)
      const file = join(dir, "report.html")
      writeFileSync(file, html)

      const context = await chromium.launchPersistentContext(join(dir, "profile"), {
        executablePath: chromiumPath ?? "chromium",
        args: browserArgs,
        viewport: { width: 1100, height: 900 }
      })
      try {
        const page = context.pages()[0] ?? (await context.newPage())
        const problems: Array<string> = []
        const requests: Array<string> = []
        page.on("console", (message) => void (message.type() === "error" && problems.push(message.text())))
        page.on("pageerror", (error) => void problems.push(error.message))
        page.on("request", (request) => void requests.push(request.url()))
        await page.goto(`file://${file}`, { waitUntil: "load" })

        const marks = await page.$$eval("figure.chart svg", (svgs) =>
          svgs.map((svg) => svg.querySelectorAll("g[class*='role-mark'] path, g[class*='role-mark'] text").length))
        expect(marks.length).toBeGreaterThanOrEqual(12)
        expect(marks.filter((count) => count === 0)).toEqual([])
        expect(await page.$$eval("section h2", (hs) => hs.map((h) => h.textContent))).toEqual(
          expect.arrayContaining(["What your history covers", "Top artists, tracks and albums", "When you listen", "Sessions", "Discoveries", "Podcasts"])
        )
        expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(1100)

        mkdirSync(join(screenshot, ".."), { recursive: true })
        await page.screenshot({ path: screenshot, fullPage: true })
        await page.emulateMedia({ media: "print" })
        const pdf = await page.pdf({ format: "A4" })
        expect(pdf.subarray(0, 5).toString()).toBe("%PDF-")

        expect(problems).toEqual([])
        expect(requests).toEqual([`file://${file}`])
      } finally {
        await context.close()
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 120_000)
})
