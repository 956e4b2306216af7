const short: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" }
const escaped = (c: string) => short[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`

/**
 * Text from outside (a server's answer, a file's name, a track's) made safe to print on a
 * terminal: control characters, which could move the cursor, clear the screen or retitle the
 * window, shown escaped as JSON writes them. Line breaks and tabs are kept.
 */
export const printable = (text: string): string => text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, escaped)

/** The same on one line: line breaks and tabs escaped too, for a table's cell or a sentence. */
export const printableLine = (text: string): string => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, escaped)
