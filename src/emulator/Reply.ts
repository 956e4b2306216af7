/** One HTTP answer, written byte for byte: header names keep the case given here. */
export interface Reply {
  readonly status: number
  readonly headers: ReadonlyArray<readonly [string, string]>
  readonly body: string
}

const jsonType = ["Content-Type", "application/json; charset=utf-8"] as const
const noCache = ["Cache-Control", "private, max-age=0"] as const

export const json = (status: number, value: unknown, headers: ReadonlyArray<readonly [string, string]> = []): Reply => ({
  status,
  headers: [jsonType, noCache, ...headers],
  body: JSON.stringify(value)
})

/** The Web API's regular error body. */
export const apiError = (status: number, message: string, headers: ReadonlyArray<readonly [string, string]> = []): Reply =>
  json(status, { error: { status, message } }, headers)

/** The accounts service's OAuth error body. */
export const oauthError = (status: number, error: string, description: string): Reply =>
  json(status, { error, error_description: description })

export const html = (status: number, page: string): Reply => ({
  status,
  headers: [["Content-Type", "text/html; charset=utf-8"]],
  body: page
})

export const empty = (status: number, headers: ReadonlyArray<readonly [string, string]> = []): Reply => ({
  status,
  headers,
  body: ""
})

export const redirect = (location: string): Reply => ({
  status: 302,
  headers: [["Location", location]],
  body: ""
})

export const htmlPage = (title: string, text: string): string =>
  `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body><h1>${title}</h1><p>${text}</p></body></html>\n`
