import type { Config } from "vega-lite"

export const fontStack = "Inter, 'Segoe UI', system-ui, -apple-system, Roboto, 'Helvetica Neue', Arial, sans-serif"

export const palette = {
  ink: "#1c2321",
  muted: "#5b6662",
  faint: "#e6e2da",
  listens: "#1a7f5a",
  minutes: "#d9734e",
  live: "#1a7f5a",
  both: "#6fb393",
  export: "#c9a227",
  empty: "#efece6",
  heat: ["#f3f0e9", "#cfe6d6", "#7fbf9b", "#2f8f67", "#0f5a3d"]
} as const

/** One look for every chart: quiet axes, no frame, the page's font, transparent behind. */
export const chartConfig: Config = {
  font: fontStack,
  background: "transparent",
  padding: 4,
  view: { stroke: null },
  axis: {
    labelColor: palette.muted,
    titleColor: palette.muted,
    labelFontSize: 11,
    titleFontSize: 11,
    titleFontWeight: 500,
    domainColor: palette.faint,
    tickColor: palette.faint,
    gridColor: palette.faint,
    labelPadding: 6
  },
  legend: { labelColor: palette.muted, titleColor: palette.muted, labelFontSize: 11, titleFontSize: 11, orient: "top", labelLimit: 260 },
  text: { color: palette.ink, fontSize: 11 }
}
