/** `text` as a SQL string literal (single quotes doubled). */
export const quote = (text: string) => `'${text.replaceAll("'", "''")}'`

/** `name` as a quoted SQL identifier (double quotes doubled). */
export const ident = (name: string) => `"${name.replaceAll("\"", "\"\"")}"`
