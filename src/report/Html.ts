const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }

/** Text made safe for HTML content and attribute values. */
export const escape = (text: string | number): string => String(text).replace(/[&<>"']/g, (c) => entities[c] ?? c)

export const number = (value: number, digits = 0) =>
  value.toLocaleString("en", { minimumFractionDigits: digits, maximumFractionDigits: digits })

const monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

/** `2026-01-05` as `5 Jan 2026`. */
export const day = (date: string | null) => {
  if (date === null) return "-"
  const [y, m, d] = date.split("-")
  return `${Number(d)} ${monthNames[Number(m) - 1] ?? m} ${y}`
}

export const duration = (minutes: number) =>
  minutes < 90 ? `${number(minutes)} min` : `${number(Math.floor(minutes / 60))} h ${number(Math.round(minutes % 60))} min`

export interface Column<A> {
  readonly title: string
  readonly cell: (row: A) => string | number
  readonly numeric?: boolean
}

/** A data table with a caption; `hidden` keeps it for screen readers only (the chart beside it shows the same). */
export const table = <A>(caption: string, columns: ReadonlyArray<Column<A>>, rows: ReadonlyArray<A>, hidden = false) =>
  `${hidden ? "<div class=\"sr-only\">" : ""}<table><caption>${escape(caption)}</caption><thead><tr>${
    columns.map((c) => `<th scope="col"${c.numeric === true ? " class=\"num\"" : ""}>${escape(c.title)}</th>`).join("")
  }</tr></thead><tbody>${
    rows.map((row) =>
      `<tr>${
        columns.map((c) => `<td${c.numeric === true ? " class=\"num\"" : ""}>${escape(c.cell(row))}</td>`).join("")
      }</tr>`
    ).join("")
  }</tbody></table>${hidden ? "</div>" : ""}`

/** A chart drawn to SVG, hidden from screen readers, which get `numbers` (a table) instead. */
export const figure = (svg: string, caption: string, numbers: string, className = "") =>
  `<figure class="chart ${className}"><div class="svg" aria-hidden="true">${svg}</div><figcaption>${escape(caption)}</figcaption>${numbers}</figure>`

export const card = (label: string, value: string, note = "") =>
  `<div class="card"><div class="label">${escape(label)}</div><div class="value">${escape(value)}</div>${
    note === "" ? "" : `<div class="note">${escape(note)}</div>`
  }</div>`
