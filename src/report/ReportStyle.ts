import { fontStack, palette } from "./ChartTheme.js"

/** The page's only styles: inline, so the file opens offline and prints as it looks. */
export const reportStyle = `
:root { --ink: ${palette.ink}; --muted: ${palette.muted}; --faint: ${palette.faint}; --accent: ${palette.listens};
  --warm: ${palette.minutes}; --paper: #fbfaf6; --card: #ffffff; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--paper); color: var(--ink); font: 15px/1.55 ${fontStack};
  font-feature-settings: "tnum" 1; }
main { max-width: 960px; margin: 0 auto; padding: 0 28px 64px; }
header.hero { padding: 56px 0 28px; border-bottom: 1px solid var(--faint); margin-bottom: 8px; }
.eyebrow { text-transform: uppercase; letter-spacing: .14em; font-size: 12px; color: var(--accent); font-weight: 600; margin: 0 0 10px; }
h1 { font-size: 44px; line-height: 1.1; margin: 0 0 12px; letter-spacing: -.02em; font-weight: 750; }
h1 .year { color: var(--accent); }
.lede { font-size: 17px; color: var(--muted); margin: 0; max-width: 46em; }
h2 { font-size: 24px; letter-spacing: -.01em; margin: 52px 0 6px; font-weight: 700; }
h3 { font-size: 16px; margin: 28px 0 8px; font-weight: 650; }
p.intro { color: var(--muted); margin: 0 0 18px; max-width: 48em; }
.cards { display: grid; grid-template-columns: repeat(3, 1fr); gap: 12px; margin-top: 18px; }
.card { background: var(--card); border: 1px solid var(--faint); border-radius: 12px; padding: 14px 16px; }
.card .label { font-size: 12px; text-transform: uppercase; letter-spacing: .08em; color: var(--muted); }
.card .value { font-size: 26px; font-weight: 700; line-height: 1.25; margin-top: 4px; overflow-wrap: anywhere; }
.card .note { font-size: 13px; color: var(--muted); margin-top: 2px; }
.card.wide .value { font-size: 19px; }
figure.chart { margin: 14px 0; background: var(--card); border: 1px solid var(--faint); border-radius: 12px; padding: 16px 18px 12px; }
figure.chart .svg { overflow-x: auto; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: 13px; color: var(--muted); margin-top: 6px; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; }
.pair figure.chart { margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: 14px; margin: 8px 0 4px; }
caption { text-align: left; font-size: 13px; color: var(--muted); padding-bottom: 6px; }
th, td { text-align: left; padding: 7px 10px; border-bottom: 1px solid var(--faint); vertical-align: top; }
th { font-size: 12px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
.panel { background: var(--card); border: 1px solid var(--faint); border-radius: 12px; padding: 6px 18px 10px; margin: 14px 0; }
.badge { display: inline-block; font-size: 12px; font-weight: 600; border-radius: 999px; padding: 1px 10px; }
.badge.open { background: #fbe7df; color: #9a3b17; }
.badge.closed { background: #dff0e6; color: #145c40; }
.callouts { display: flex; flex-wrap: wrap; gap: 10px 28px; margin: 10px 0 0; font-size: 14px; }
.callouts strong { font-weight: 650; }
.note { color: var(--muted); font-size: 14px; }
.empty { color: var(--muted); font-style: italic; }
footer { margin-top: 64px; padding-top: 18px; border-top: 1px solid var(--faint); color: var(--muted); font-size: 13px; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
@media (max-width: 720px) { .pair, .cards { grid-template-columns: 1fr; } h1 { font-size: 34px; } main { padding: 0 16px 48px; } }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { background: #fff; font-size: 11pt; }
  main { max-width: none; padding: 0; }
  header.hero { padding-top: 0; }
  h2 { break-after: avoid; margin-top: 28px; }
  figure.chart, .card, .panel, table, .pair { break-inside: avoid; }
  figure.chart, .card, .panel { border-color: #d8d4cc; }
  figure.chart .svg { overflow: visible; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`
