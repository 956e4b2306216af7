import type { TopLevelSpec } from "vega-lite"
import { chartConfig, palette } from "./ChartTheme.js"
import type { CoverageBar, Day, HeatCell, MonthCount, Ranked, Run, SessionBucket } from "./ReportData.js"

const weekdayLabel = "['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][datum.value]"
const monthLabel = "['', 'Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][datum.value]"

const rows = <A extends object>(values: ReadonlyArray<A>) => values.map((value) => ({ ...value }))

export const coverageChart = (bars: ReadonlyArray<CoverageBar>, by: "day" | "month"): TopLevelSpec => ({
  config: chartConfig,
  width: 760,
  height: 170,
  data: { values: rows(bars) },
  mark: { type: "bar", cornerRadiusEnd: 1 },
  encoding: {
    x: by === "day"
      ? { field: "period", type: "ordinal", title: null, axis: { labelAngle: 0, labelOverlap: true, ticks: false } }
      : { field: "period", type: "temporal", timeUnit: "yearmonth", title: null, axis: { grid: false, labelOverlap: true } },
    y: { field: "listens", type: "quantitative", aggregate: "sum", title: "listens", axis: { tickCount: 4 } },
    color: {
      field: "origin",
      type: "nominal",
      title: null,
      scale: { domain: ["live", "both", "export"], range: [palette.live, palette.both, palette.export] },
      legend: { labelExpr: "{'live': 'live only', 'both': 'live and in an export', 'export': 'export only'}[datum.label]" }
    },
    order: { field: "origin", sort: "descending" }
  }
})

export const rankedChart = (ranked: ReadonlyArray<Ranked>, measure: "listens" | "minutes"): TopLevelSpec => ({
  config: chartConfig,
  width: 170,
  height: { step: 22 },
  data: { values: ranked.map((r) => ({ ...r, label: r.detail === null ? r.name : `${r.name} · ${r.detail}` })) },
  encoding: {
    y: { field: "label", type: "nominal", sort: null, title: null, axis: { labelLimit: 215, ticks: false, domain: false } },
    x: { field: measure, type: "quantitative", title: null, axis: null }
  },
  layer: [
    { mark: { type: "bar", color: measure === "listens" ? palette.listens : palette.minutes, cornerRadiusEnd: 3, height: 15 } },
    {
      mark: { type: "text", align: "left", dx: 4, color: palette.muted },
      encoding: { text: { field: measure, type: "quantitative", format: ",.0f" } }
    }
  ]
})

export const heatmapChart = (cells: ReadonlyArray<HeatCell>): TopLevelSpec => ({
  config: chartConfig,
  width: { step: 27 },
  height: { step: 27 },
  data: { values: rows(cells) },
  mark: { type: "rect", cornerRadius: 3, stroke: "#fff", strokeWidth: 2 },
  encoding: {
    x: { field: "hour", type: "ordinal", title: "hour of the day", axis: { labelAngle: 0, ticks: false, domain: false } },
    y: { field: "weekday", type: "ordinal", title: null, axis: { labelExpr: weekdayLabel, ticks: false, domain: false } },
    color: {
      field: "minutes",
      type: "quantitative",
      title: "minutes",
      scale: { range: [...palette.heat] },
      legend: { orient: "right", gradientLength: 150 }
    }
  }
})

export interface CalendarDay {
  readonly date: string
  readonly week: number
  readonly weekday: number
  readonly minutes: number
  readonly listens: number
  readonly streak: boolean
}

/** Every day of `year` (Monday-first weeks), with its minutes and whether it belongs to the year's longest streak. */
export const calendarDays = (year: number, days: ReadonlyArray<Day>, longest: Run | undefined): ReadonlyArray<CalendarDay> => {
  const byDate = new Map(days.map((day) => [day.local_date, day]))
  const first = Date.UTC(year, 0, 1)
  const offset = (new Date(first).getUTCDay() + 6) % 7
  const count = (Date.UTC(year + 1, 0, 1) - first) / 86_400_000
  return Array.from({ length: count }, (_, i) => {
    const date = new Date(first + i * 86_400_000).toISOString().slice(0, 10)
    const day = byDate.get(date)
    return {
      date,
      week: Math.floor((i + offset) / 7),
      weekday: ((i + offset) % 7) + 1,
      minutes: day?.minutes ?? 0,
      listens: day?.listens ?? 0,
      streak: longest !== undefined && date >= longest.start_date && date <= longest.end_date
    }
  })
}

export const calendarChart = (days: ReadonlyArray<CalendarDay>): TopLevelSpec => {
  const monthStarts = days.filter((day) => day.date.endsWith("-01"))
  const labels = monthStarts.map((day) => `datum.value == ${day.week} ? '${["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][Number(day.date.slice(5, 7)) - 1]}'`)
  return {
    config: chartConfig,
    width: { step: 15 },
    height: { step: 15 },
    data: { values: rows(days) },
    mark: { type: "rect", cornerRadius: 2 },
    encoding: {
      x: {
        field: "week",
        type: "ordinal",
        title: null,
        axis: {
          orient: "top",
          values: monthStarts.map((day) => day.week),
          labelExpr: `${labels.join(" : ")} : ''`,
          labelAngle: 0,
          labelAlign: "left",
          ticks: false,
          domain: false
        }
      },
      y: { field: "weekday", type: "ordinal", title: null, axis: { labelExpr: weekdayLabel, ticks: false, domain: false, values: [1, 3, 5] } },
      color: {
        condition: { test: "datum.minutes == 0", value: palette.empty },
        field: "minutes",
        type: "quantitative",
        title: "minutes",
        scale: { range: [...palette.heat.slice(1)] },
        legend: { orient: "right", gradientLength: 90 }
      },
      stroke: { condition: { test: "datum.streak", value: palette.ink }, value: "#fff" },
      strokeWidth: { condition: { test: "datum.streak", value: 1.5 }, value: 1.5 }
    }
  }
}

export const sessionsChart = (buckets: ReadonlyArray<SessionBucket>): TopLevelSpec => ({
  config: chartConfig,
  width: 520,
  height: 150,
  data: { values: rows(buckets) },
  layer: [
    { mark: { type: "bar", color: palette.listens, cornerRadiusEnd: 3 } },
    { mark: { type: "text", dy: -7, color: palette.muted }, encoding: { text: { field: "sessions", type: "quantitative" } } }
  ],
  encoding: {
    x: { field: "bucket", type: "ordinal", sort: null, title: "session length", axis: { labelAngle: 0 } },
    y: { field: "sessions", type: "quantitative", title: null, axis: null }
  }
})

export const monthsChart = (months: ReadonlyArray<MonthCount>): TopLevelSpec => ({
  config: chartConfig,
  width: 360,
  height: 150,
  data: { values: Array.from({ length: 12 }, (_, i) => ({ month: i + 1, count: months.find((m) => m.month === i + 1)?.count ?? 0 })) },
  layer: [
    { mark: { type: "bar", color: palette.export, cornerRadiusEnd: 3 } },
    {
      mark: { type: "text", dy: -7, color: palette.muted },
      encoding: { text: { condition: { test: "datum.count > 0", field: "count", type: "quantitative" }, value: "" } }
    }
  ],
  encoding: {
    x: { field: "month", type: "ordinal", title: null, axis: { labelExpr: monthLabel, labelAngle: 0 } },
    y: { field: "count", type: "quantitative", title: null, axis: null }
  }
})
