import * as ParseResult from "effect/ParseResult"

const shown = 3
const longest = 160

const clipped = (text: string) => text.length > longest ? `${text.slice(0, longest)}…` : text

const pathOf = (path: ReadonlyArray<PropertyKey>) =>
  path.length === 0 ? "the body" : path.map((segment) => typeof segment === "number" ? `[${segment}]` : `.${String(segment)}`).join("").replace(/^\./, "")

/** A decoding failure as a short sentence: where the data was wrong and how, first issues only. */
export const describeParseError = (error: ParseResult.ParseError): string => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const listed = issues.slice(0, shown).map((issue) => `${pathOf(issue.path)}: ${clipped(issue.message)}`)
  const more = issues.length > shown ? ` (and ${issues.length - shown} more)` : ""
  return `${listed.join("; ")}${more}`
}
