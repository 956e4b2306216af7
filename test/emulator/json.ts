/** Small readers over parsed JSON bodies, for the shape tests. */

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

export const asRecord = (value: unknown): Record<string, unknown> => (isRecord(value) ? value : {})

export const field = (value: unknown, ...path: ReadonlyArray<string>): unknown =>
  path.reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), value)

export const arrayAt = (value: unknown, ...path: ReadonlyArray<string>): ReadonlyArray<unknown> => {
  const list = field(value, ...path)
  return Array.isArray(list) ? list : []
}

export const items = (page: unknown): ReadonlyArray<unknown> => arrayAt(page, "items")

export const isLocalItem = (item: unknown): boolean => field(item, "track", "is_local") === true

export const sortedKeys = (value: unknown): ReadonlyArray<string> => Object.keys(asRecord(value)).sort()

/** Every key path in a JSON value (`items[].track.album.name`); array elements are merged. */
export const keyPaths = (value: unknown): ReadonlySet<string> => {
  const paths = new Set<string>()
  const walk = (node: unknown, path: string): void => {
    if (Array.isArray(node)) node.forEach((element) => walk(element, `${path}[]`))
    else if (isRecord(node)) {
      for (const [key, child] of Object.entries(node)) {
        const childPath = path === "" ? key : `${path}.${key}`
        paths.add(childPath)
        walk(child, childPath)
      }
    }
  }
  walk(value, "")
  return paths
}

/** Key paths of a page, sorted; `withContexts: false` leaves out `items[].context.*` (pages whose contexts may all be null). */
export const pagePaths = (page: unknown, withContexts = true): ReadonlyArray<string> =>
  [...keyPaths(page)].filter((path) => withContexts || !path.startsWith("items[].context.")).sort()
