/**
 * A whole number with commas between its thousands (`1,234,567`), as `toLocaleString("en-US")`
 * writes it, without Intl: the first Intl number format of a process loads ICU's data, 20 to 30
 * ms, a seventh of a `status` run.
 */
export const withThousands = (value: number): string => {
  const digits = String(Math.abs(Math.round(value)))
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",")
  return value < 0 && grouped !== "0" ? `-${grouped}` : grouped
}
