import * as Redacted from "effect/Redacted"

const shortest = 8

/**
 * `text` with every secret in it replaced: each value as sent, URL-encoded (form bodies) and,
 * with the client id, as the Basic credentials it makes. A server that quotes our request back
 * in an error then puts no secret into a message or a log.
 */
export const scrub = (text: string, secrets: ReadonlyArray<Redacted.Redacted<string>>, clientId?: string): string => {
  const forms = secrets.map(Redacted.value).filter((value) => value.length >= shortest).flatMap((value) => [
    value,
    encodeURIComponent(value),
    ...(clientId === undefined ? [] : [Buffer.from(`${clientId}:${value}`).toString("base64")])
  ])
  return forms.reduce((scrubbed, secret) => scrubbed.split(secret).join("<redacted>"), text)
}
