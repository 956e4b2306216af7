import { sha256Hex } from "../Sha256.js"

/** One hash of several parts, each length-prefixed so that no two different lists hash alike. */
export const fingerprint = (parts: ReadonlyArray<string>) => sha256Hex(parts.map((part) => `${part.length}:${part}`).join("\n"))

/** `dir/name.ext` becomes `dir/name-<first 16 hex of sha256>.ext`: a name that changes whenever the content does. */
export const contentName = (relativePath: string, contentSha256: string) => {
  const slash = relativePath.lastIndexOf("/")
  const dot = relativePath.lastIndexOf(".")
  const cut = dot > slash ? dot : relativePath.length
  return `${relativePath.slice(0, cut)}-${contentSha256.slice(0, 16)}${relativePath.slice(cut)}`
}
