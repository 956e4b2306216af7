import * as Config from "effect/Config"

/** The setting `name` as an http(s) address; anything else (ftp://, a typo) is refused at once, naming the variable. */
export const httpUrl = (name: string) =>
  Config.url(name).pipe(
    Config.validate({
      message: "expected an http:// or https:// address",
      validation: (url) => url.protocol === "http:" || url.protocol === "https:"
    })
  )
