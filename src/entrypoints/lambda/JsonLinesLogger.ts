import * as Cause from "effect/Cause"
import * as HashMap from "effect/HashMap"
import * as Inspectable from "effect/Inspectable"
import * as List from "effect/List"
import * as Logger from "effect/Logger"
import type * as LogLevel from "effect/LogLevel"

/** Lambda's names for log levels: with the JSON log format, Lambda filters on `level`. */
const levels: Record<LogLevel.Literal, string> = {
  All: "TRACE",
  Trace: "TRACE",
  Debug: "DEBUG",
  Info: "INFO",
  Warning: "WARN",
  Error: "ERROR",
  Fatal: "FATAL",
  None: "OFF"
}

const text = (message: unknown) =>
  (Array.isArray(message) ? message : [message])
    .map((part) => typeof part === "string" ? part : Inspectable.toStringUnknown(part))
    .join(" ")

// Redacted values serialise as "<redacted>"; a value JSON cannot hold becomes its description.
const serialise = (record: Record<string, unknown>) => {
  try {
    return JSON.stringify(record, (_key, value: unknown) => typeof value === "bigint" ? value.toString() : value)
  } catch {
    return JSON.stringify(Object.fromEntries(Object.entries(record).map(([key, value]) => [key, Inspectable.toStringUnknown(value)])))
  }
}

/**
 * One JSON object per line: `timestamp`, `level`, `message`, the log's annotations (the
 * handler adds `requestId`), open spans with their elapsed milliseconds and any cause. Lambda
 * keeps such lines as they are, also with its JSON log format.
 */
export const jsonLinesLogger = (write: (line: string) => void) =>
  Logger.make(({ annotations, cause, date, logLevel, message, spans }) => {
    const now = date.getTime()
    const record: Record<string, unknown> = {
      ...Object.fromEntries(HashMap.toEntries(annotations)),
      timestamp: date.toISOString(),
      level: levels[logLevel._tag],
      message: text(message)
    }
    if (List.isCons(spans)) {
      record.spans = Object.fromEntries(List.toArray(spans).map((span) => [span.label, now - span.startTime]))
    }
    if (!Cause.isEmpty(cause)) record.cause = Cause.pretty(cause)
    write(serialise(record))
  })
