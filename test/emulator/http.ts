import * as Http from "node:http"
import { Data, Effect } from "effect"

export interface HttpResponse {
  readonly status: number
  readonly headers: Http.IncomingHttpHeaders
  /** Header names exactly as they came over the wire. */
  readonly rawHeaderNames: ReadonlyArray<string>
  readonly body: string
}

export class HttpFailure extends Data.TaggedError("HttpFailure")<{
  readonly reason: "timeout" | "transport"
  readonly message: string
}> {}

export interface RequestOptions {
  readonly method?: string
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string
  readonly timeoutMs?: number
}

/** A bare node:http request on a fresh connection: nothing between the test and the wire. */
export const request = (url: string, options: RequestOptions = {}): Effect.Effect<HttpResponse, HttpFailure> =>
  Effect.async<HttpResponse, HttpFailure>((resume) => {
    let settled = false
    const settle = (effect: Effect.Effect<HttpResponse, HttpFailure>) => {
      if (settled) return
      settled = true
      resume(effect)
    }
    const outgoing = Http.request(url, { method: options.method ?? "GET", headers: options.headers ?? {}, agent: false }, (response) => {
      const chunks: Array<Buffer> = []
      response.on("data", (chunk: Buffer) => chunks.push(chunk))
      response.on("error", (error) => settle(Effect.fail(new HttpFailure({ reason: "transport", message: error.message }))))
      response.on("end", () =>
        settle(Effect.succeed({
          status: response.statusCode ?? 0,
          headers: response.headers,
          rawHeaderNames: response.rawHeaders.filter((_, index) => index % 2 === 0),
          body: Buffer.concat(chunks).toString("utf8")
        })))
    })
    outgoing.on("error", (error) => settle(Effect.fail(new HttpFailure({ reason: "transport", message: error.message }))))
    if (options.timeoutMs !== undefined) {
      outgoing.setTimeout(options.timeoutMs, () => {
        settle(Effect.fail(new HttpFailure({ reason: "timeout", message: `no answer within ${options.timeoutMs} ms` })))
        outgoing.destroy()
      })
    }
    outgoing.end(options.body)
    return Effect.sync(() => outgoing.destroy())
  })

export const parseJson = (response: HttpResponse): unknown => JSON.parse(response.body)
