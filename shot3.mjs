import { chromium } from "playwright-core"
const [file, png, height] = process.argv.slice(2)
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] })
const page = await browser.newPage({ viewport: { width: 1000, height: Number(height) }, deviceScaleFactor: 1 })
await page.goto("file://" + file)
await page.screenshot({ path: png })
await browser.close()
