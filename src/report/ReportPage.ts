import { card, day, duration, escape, number } from "./Html.js"
import { coverageSection, podcastSection, topSection } from "./HistorySections.js"
import type { ReportData, Review } from "./ReportData.js"
import { reportStyle } from "./ReportStyle.js"
import { calendarSection, discoveriesSection, heatmapSection, sessionsSection } from "./TimeSections.js"

const reviewCards = (review: Review) =>
  `<section id="review"><h2 class="sr-only">The year in review</h2><div class="cards">${
    [
      card("Listens", number(review.listens), "that count: 30 s or more"),
      card("Time listening", `${number(review.hours, 1)} h`, `${number(review.minutes)} minutes`),
      card("Artists", number(review.artists), `${number(review.new_artists)} new to you`),
      card("Tracks", number(review.tracks)),
      card("Days with music", number(review.active_days), `longest streak ${number(review.longest_streak_days)} days`),
      card("Sessions", number(review.sessions), `longest ${duration(review.longest_session_minutes)}`),
      `<div class="card wide"><div class="label">Top artist</div><div class="value">${escape(review.top_artist ?? "-")}</div></div>`,
      `<div class="card wide"><div class="label">Top track</div><div class="value">${escape(review.top_track ?? "-")}</div></div>`,
      card(
        "Busiest day",
        day(review.busiest_day),
        review.busiest_day_minutes === null ? "" : `${duration(review.busiest_day_minutes)} of music`
      )
    ].join("")
  }</div></section>`

const hero = (data: ReportData) => {
  const other = data.years.filter((year) => year !== data.year)
  return `<header class="hero"><p class="eyebrow">Your Spotify listening</p>
<h1>${data.year === null ? "No listens yet" : `<span class="year">${data.year}</span> in music`}</h1>
<p class="lede">${
    data.totals.first_day === null
      ? "The lake holds no listens yet: run a sync, or import a privacy export, then build this report again."
      : `Your history runs from ${day(data.totals.first_day)} to ${day(data.totals.last_day)}: ${
        number(data.totals.listens)
      } counted listens, ${number(data.totals.hours, 1)} hours. Days and hours are in ${escape(data.timeZone)}.${
        other.length === 0 ? "" : ` Other years: ${other.join(", ")} (report --year).`
      }`
  }</p></header>`
}

/** The whole report: one HTML file, styles inline, charts as SVG, no script and nothing fetched. */
export const reportPage = async (data: ReportData): Promise<string> => {
  const body = data.year === null
    ? await coverageSection(data)
    : [
      data.review === null ? "" : reviewCards(data.review),
      await coverageSection(data),
      await topSection(data),
      await heatmapSection(data),
      await calendarSection(data, data.year),
      await sessionsSection(data),
      await discoveriesSection(data, data.year),
      await podcastSection(data)
    ].join("\n")
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${data.year === null ? "Your listening" : `Your ${data.year} in music`}</title>
<style>${reportStyle}</style>
</head>
<body>
<main>
${hero(data)}
${body}
<footer>Built by spotify-pipeline on ${escape(data.generatedAt)} from your own data lake: live capture from Spotify's API and any privacy exports you imported. Everything in this file is in this file; it fetches nothing.</footer>
</main>
</body>
</html>
`
}
