import { calendarChart, calendarDays, heatmapChart, monthsChart, sessionsChart } from "./Charts.js"
import { day, duration, escape, figure, number, table } from "./Html.js"
import type { Discovery, HeatCell, ReportData, Run } from "./ReportData.js"
import { renderSvg } from "./SvgChart.js"

const weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

const busiestCell = (cells: ReadonlyArray<HeatCell>) =>
  cells.reduce<HeatCell | undefined>((best, cell) => best === undefined || cell.minutes > best.minutes ? cell : best, undefined)

export const heatmapSection = async (data: ReportData) => {
  const peak = busiestCell(data.heatmap)
  const rows = weekdays.map((name, i) => ({ name, cells: data.heatmap.filter((cell) => cell.weekday === i + 1) }))
  const numbers = table(
    "Minutes listened per weekday and hour",
    [
      { title: "weekday", cell: (r: (typeof rows)[number]) => r.name },
      ...Array.from({ length: 24 }, (_, hour) => ({
        title: `${hour}h`,
        cell: (r: (typeof rows)[number]) => number(r.cells.find((c) => c.hour === hour)?.minutes ?? 0),
        numeric: true
      }))
    ],
    rows,
    true
  )
  return `<section id="when"><h2>When you listen</h2>
<p class="intro">Minutes listened by hour and weekday, in your time zone (${escape(data.timeZone)}), daylight saving included.${
    peak === undefined || peak.minutes === 0 ? "" : ` Your busiest hour: ${weekdays[peak.weekday - 1]}s from ${peak.hour}:00.`
  }</p>
${figure(await renderSvg(heatmapChart(data.heatmap)), "Darker is more minutes.", numbers)}
</section>`
}

const runText = (run: Run | undefined, what: string) =>
  run === undefined
    ? ""
    : `<span><strong>${escape(what)}:</strong> ${number(run.days)} ${run.days === 1 ? "day" : "days"}, ${day(run.start_date)} to ${
      day(run.end_date)
    }</span>`

export const calendarSection = async (data: ReportData, year: number) => {
  const longest = data.streaks[0]
  const days = calendarDays(year, data.days, longest)
  const active = data.days.filter((d) => d.listens > 0)
  return `<section id="calendar"><h2>Your ${year}, day by day</h2>
<p class="intro">Every day of the year; the outlined days are your longest streak of days with music.</p>
${
    figure(
      await renderSvg(calendarChart(days)),
      `${number(active.length)} days with music in ${year}.`,
      table(`Days with music in ${year}`, [
        { title: "day", cell: (d: ReportData["days"][number]) => day(d.local_date) },
        { title: "listens", cell: (d) => d.listens, numeric: true },
        { title: "minutes", cell: (d) => number(d.minutes), numeric: true }
      ], active, true),
      "calendar"
    )
  }
<div class="callouts">${runText(longest, "Longest streak")}${runText(data.streaks[1], "Runner-up")}${runText(data.dryStreaks[0], "Longest dry spell")}</div>
</section>`
}

export const sessionsSection = async (data: ReportData) => {
  const stats = data.sessionStats
  return `<section id="sessions"><h2>Sessions</h2>
<p class="intro">A session ends when ${number(data.sessionGapMinutes)} minutes pass without music. ${
    stats.sessions === 0
      ? ""
      : `${number(stats.sessions)} sessions, half of them longer than ${duration(stats.median_minutes ?? 0)}. The longest, on ${
        day(stats.longest_date)
      }, lasted ${duration(stats.longest_minutes ?? 0)} (${number(stats.longest_listens ?? 0)} listens).`
  }</p>
${
    figure(
      await renderSvg(sessionsChart(data.sessionBuckets)),
      "Sessions by length.",
      table("Sessions by length", [
        { title: "length", cell: (b: ReportData["sessionBuckets"][number]) => b.bucket },
        { title: "sessions", cell: (b) => b.sessions, numeric: true }
      ], data.sessionBuckets, true)
    )
  }
</section>`
}

export const discoveriesSection = async (data: ReportData, year: number) => {
  const found = data.newArtistsByMonth.reduce((sum, m) => sum + m.count, 0)
  return `<section id="discoveries"><h2>Discoveries</h2>
<p class="intro">${number(found)} artists heard for the first time in ${year}.${
    data.totals.censored ? " Without an extended streaming history, \"first\" means first captured since live capture began." : ""
  }</p>
${
    figure(
      await renderSvg(monthsChart(data.newArtistsByMonth)),
      "New artists per month.",
      table("New artists per month", [
        { title: "month", cell: (m: ReportData["newArtistsByMonth"][number]) => m.month },
        { title: "artists", cell: (m) => m.count, numeric: true }
      ], data.newArtistsByMonth, true)
    )
  }
<div class="panel">${
    data.discoveries.length === 0
      ? `<p class="empty">No track first heard in ${year} was played more than 3 times that year.</p>`
      : table(`Top discoveries: tracks first heard in ${year} and played more than 3 times`, [
        { title: "track", cell: (d: Discovery) => d.track_name },
        { title: "artist", cell: (d) => d.artist_name },
        { title: "first heard", cell: (d) => day(d.first_local_date) },
        { title: "listens", cell: (d) => d.listens_first_year, numeric: true }
      ], data.discoveries)
  }</div>
</section>`
}
