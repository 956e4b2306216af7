import { coverageChart, rankedChart } from "./Charts.js"
import { day, escape, figure, number, table } from "./Html.js"
import type { GapRow, Ranked, ReportData, Source } from "./ReportData.js"
import { renderSvg } from "./SvgChart.js"

const sourceTable = (sources: ReadonlyArray<Source>) =>
  table("Where the history comes from", [
    { title: "source", cell: (s: Source) => s.source },
    { title: "from", cell: (s) => day(s.first_day) },
    { title: "to", cell: (s) => day(s.last_day) },
    { title: "listens", cell: (s) => number(s.rows), numeric: true }
  ], sources)

const gapTable = (gaps: ReadonlyArray<GapRow>) =>
  `<table><caption>Windows in which live capture may have lost plays</caption><thead><tr><th scope="col">from</th><th scope="col">to</th><th scope="col" class="num">length</th><th scope="col">state</th></tr></thead><tbody>${
    gaps.map((gap) =>
      `<tr><td>${escape(gap.from_at)}</td><td>${escape(gap.to_at)}</td><td class="num">${number(gap.minutes / 60, 1)} h</td><td>${
        gap.closed
          ? `<span class="badge closed">closed</span> by ${escape(gap.closed_by_file ?? "an export")}${
            gap.export_listens === null ? "" : `, ${number(gap.export_listens)} listens`
          }`
          : "<span class=\"badge open\">open</span> plays here may be missing"
      }</td></tr>`
    ).join("")
  }</tbody></table>`

export const coverageSection = async (data: ReportData) => {
  const open = data.gaps.filter((gap) => !gap.closed).length
  const closed = data.gaps.length - open
  const chart = data.coverage.length === 0
    ? ""
    : figure(
      await renderSvg(coverageChart(data.coverage, data.coverageBy)),
      `Counted listens per ${data.coverageBy}, by where they were seen.`,
      table(`Counted listens per ${data.coverageBy} and origin`, [
        { title: data.coverageBy, cell: (b: ReportData["coverage"][number]) => b.period },
        { title: "origin", cell: (b) => b.origin },
        { title: "listens", cell: (b) => b.listens, numeric: true }
      ], data.coverage, true)
    )
  const gapsText = data.gaps.length === 0
    ? "No gaps: every play Spotify showed was captured."
    : `${data.gaps.length} ${data.gaps.length === 1 ? "gap" : "gaps"} recorded: ${open} open, ${closed} closed by an export.`
  return `<section id="coverage"><h2>What your history covers</h2>
<p class="intro">${number(data.totals.listens)} counted listens and ${number(data.totals.hours, 1)} hours from ${
    day(data.totals.first_day)
  } to ${day(data.totals.last_day)}. ${escape(gapsText)}${
    data.totals.censored
      ? " No extended streaming history has been imported, so the history starts when capture began."
      : ""
  }</p>
<div class="panel">${data.sources.length === 0 ? "<p class=\"empty\">No source holds a listen yet.</p>" : sourceTable(data.sources)}</div>
${chart}
${data.gaps.length === 0 ? "" : `<div class="panel">${gapTable(data.gaps)}</div>`}
</section>`
}

const rankedFigure = async (title: string, ranked: ReadonlyArray<Ranked>, measure: "listens" | "minutes") =>
  ranked.length === 0
    ? `<figure class="chart"><p class="empty">Nothing to rank yet.</p><figcaption>${escape(title)}</figcaption></figure>`
    : figure(
      await renderSvg(rankedChart(ranked, measure)),
      title,
      table(title, [
        { title: "name", cell: (r: Ranked) => r.detail === null ? r.name : `${r.name} (${r.detail})` },
        { title: measure, cell: (r) => number(measure === "listens" ? r.listens : r.minutes), numeric: true }
      ], ranked, true)
    )

const rankedPair = async (heading: string, pair: ReportData["topArtists"]) =>
  `<h3>${escape(heading)}</h3><div class="pair">${await rankedFigure(`${heading} by counted listens`, pair.byListens, "listens")}${await rankedFigure(
    `${heading} by minutes listened`,
    pair.byMinutes,
    "minutes"
  )}</div>`

export const topSection = async (data: ReportData) =>
  `<section id="top"><h2>Top artists, tracks and albums</h2>
<p class="intro">Ranked two ways: by listens that count (30 seconds or more, as Spotify counts a stream) and by the minutes you actually listened, skips included.</p>
${await rankedPair("Artists", data.topArtists)}
${await rankedPair("Tracks", data.topTracks)}
${await rankedPair("Albums", data.topAlbums)}
</section>`

export const podcastSection = async (data: ReportData) =>
  data.shows.length === 0
    ? ""
    : `<section id="podcasts"><h2>Podcasts</h2><p class="intro">Episodes only a privacy export knows about: Spotify's live API never shows them.</p>${await rankedFigure(
      "Shows by minutes listened",
      data.shows,
      "minutes"
    )}</section>`
