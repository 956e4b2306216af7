import { chromium } from "playwright-core"
const [file, png] = process.argv.slice(2)
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] })
const page = await browser.newPage({ viewport: { width: 1000, height: 900 }, deviceScaleFactor: 1 })
await page.goto("file://" + file)
const top = await page.$eval("#when", (e) => e.getBoundingClientRect().top + window.scrollY)
await page.screenshot({ path: png, fullPage: true, clip: { x: 0, y: top - 10, width: 1000, height: 1020 } })
await browser.close()
