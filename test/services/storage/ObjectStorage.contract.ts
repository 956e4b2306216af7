import { describe, expect, type Vitest } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { ObjectStorage } from "../../../src/services/storage/ObjectStorage.js"

export interface ContractOptions {
  /** The store enforces create-only and compare-and-swap (s3rver does not). */
  readonly conditional: boolean
}

const fibers = 8

const reasonOf = <A>(effect: Effect.Effect<A, { readonly reason: string }>) =>
  Effect.flip(effect).pipe(Effect.map((error) => error.reason))

const bigBody = () => {
  const line = (i: number) => `{"played_at_ms":${i},"track_name":"Søng ${i} — 東京 🎧","artist_names":["Ärtist"]}\n`
  return Array.from({ length: 50_000 }, (_, i) => line(i)).join("")
}

/**
 * One suite for every ObjectStorage layer, run by `it` (@effect/vitest's, or a `layer(...)`
 * block's for a shared server); `storage` is built for each test and must be empty.
 */
export const objectStorageContract = <R>(
  it: Vitest.MethodsNonLive<R>,
  name: string,
  storage: Layer.Layer<ObjectStorage, unknown, R>,
  options: ContractOptions
) =>
  describe(`ObjectStorage contract: ${name}`, () => {
    const run = <A, E>(effect: Effect.Effect<A, E, ObjectStorage>) => Effect.provide(effect, Layer.fresh(storage))
    const conditional = it.effect.runIf(options.conditional)

    it.effect("round-trips a body and reports the etag it stored", () =>
      run(Effect.gen(function*() {
        const storage = yield* ObjectStorage
        const { etag } = yield* storage.putIfAbsent("state/sync.json", "{\"format\":1}")
        expect(yield* storage.get("state/sync.json")).toEqual(Option.some({ body: "{\"format\":1}", etag }))
      })))

    it.effect("gets a missing key as none", () =>
      run(Effect.gen(function*() {
        const storage = yield* ObjectStorage
        yield* storage.putIfAbsent("state/other.json", "x")
        expect(yield* storage.get("state/sync.json")).toEqual(Option.none())
        expect(yield* storage.get("state")).toEqual(Option.none())
      })))

    it.effect("lists by prefix: recursive, sorted, relative keys, siblings excluded", () =>
      run(Effect.gen(function*() {
        const storage = yield* ObjectStorage
        expect(yield* storage.list("plays/")).toEqual([])
        const keys = [
          "plays/year=2025/month=12/day=25/2-3-b.jsonl",
          "raw/recently-played/year=2025/month=12/day=25/1-a.json",
          "plays/year=2024/month=01/day=01/0-1-a.jsonl",
          "plays2/year=2025/x.jsonl",
          "plays/year=2025/month=12/day=25/1-2-a.jsonl",
          "state/sync.json"
        ]
        yield* Effect.forEach(keys, (key) => storage.putIfAbsent(key, key))
        const plays = yield* storage.list("plays/")
        expect(plays).toEqual([
          "plays/year=2024/month=01/day=01/0-1-a.jsonl",
          "plays/year=2025/month=12/day=25/1-2-a.jsonl",
          "plays/year=2025/month=12/day=25/2-3-b.jsonl"
        ])
        expect(yield* storage.list("")).toEqual([...keys].sort())
        expect(yield* storage.list("plays")).toEqual([...plays, "plays2/year=2025/x.jsonl"])
        expect(yield* storage.list("plays/year=2025/month=12/day=25/2")).toEqual([
          "plays/year=2025/month=12/day=25/2-3-b.jsonl"
        ])
        expect(yield* storage.list("nothing/")).toEqual([])
        const bodies = yield* Effect.forEach(plays, (key) => storage.get(key).pipe(Effect.map(Option.map((o) => o.body))))
        expect(bodies).toEqual(plays.map(Option.some))
      })))

    it.effect("refuses keys that escape or are not plain relative paths", () =>
      run(Effect.gen(function*() {
        const storage = yield* ObjectStorage
        const bad = ["../escape.json", "/abs.json", "a//b.json", "", "a/", "a/../b", "./a", ".tmp/x"]
        for (const key of bad) {
          expect(yield* reasonOf(storage.putIfAbsent(key, "x"))).toBe("Invalid")
          expect(yield* reasonOf(storage.get(key))).toBe("Invalid")
          expect(yield* reasonOf(storage.putIfMatch(key, "x", "etag"))).toBe("Invalid")
        }
        expect(yield* reasonOf(storage.list("../"))).toBe("Invalid")
        expect(yield* storage.list("")).toEqual([])
      })))

    it.effect("compare-and-swap with the current etag replaces the body and returns a new etag", () =>
      run(Effect.gen(function*() {
        const storage = yield* ObjectStorage
        const first = yield* storage.putIfAbsent("state/sync.json", "v1")
        const second = yield* storage.putIfMatch("state/sync.json", "v2", first.etag)
        expect(second.etag).not.toBe(first.etag)
        expect(yield* storage.get("state/sync.json")).toEqual(Option.some({ body: "v2", etag: second.etag }))
        const third = yield* storage.putIfMatch("state/sync.json", "v3", second.etag)
        expect(yield* storage.get("state/sync.json")).toEqual(Option.some({ body: "v3", etag: third.etag }))
      })))

    it.effect("keeps unicode bodies intact", () =>
      run(Effect.gen(function*() {
        const storage = yield* ObjectStorage
        const body = "Beyoncé — 東京 🎧 Ω≈ç√ \"quoted\" \\ back\nline2\r\n\u200b\u00e9\u0065\u0301"
        const { etag } = yield* storage.putIfAbsent("plays/unicode.jsonl", body)
        expect(yield* storage.get("plays/unicode.jsonl")).toEqual(Option.some({ body, etag }))
        const swapped = yield* storage.putIfMatch("plays/unicode.jsonl", `${body}🎵`, etag)
        expect(yield* storage.get("plays/unicode.jsonl")).toEqual(Option.some({ body: `${body}🎵`, etag: swapped.etag }))
      })))

    it.effect("keeps large bodies intact", () =>
      run(Effect.gen(function*() {
        const storage = yield* ObjectStorage
        const body = bigBody()
        expect(Buffer.byteLength(body)).toBeGreaterThan(4_000_000)
        yield* storage.putIfAbsent("plays/big.jsonl", body)
        const stored = yield* storage.get("plays/big.jsonl")
        expect(Option.map(stored, (o) => o.body.length)).toEqual(Option.some(body.length))
        expect(Option.exists(stored, (o) => o.body === body)).toBe(true)
      })))

    it.effect("round-trips bytes that are not text, and refuses to read them as text", () =>
      run(Effect.gen(function*() {
        const storage = yield* ObjectStorage
        const bytes = Uint8Array.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe, 0x00, 0x80, 0xc3])
        const { etag } = yield* storage.putIfAbsent("raw/page.json.gz", bytes)
        const read = yield* storage.getBytes("raw/page.json.gz")
        expect(Option.map(read, (o) => [...o.bytes])).toEqual(Option.some([...bytes]))
        expect(Option.map(read, (o) => o.etag)).toEqual(Option.some(etag))
        expect(yield* reasonOf(storage.get("raw/page.json.gz"))).toBe("Invalid")
        expect(yield* storage.getBytes("raw/missing.json.gz")).toEqual(Option.none())
      })))

    it.effect("text stored is UTF-8 bytes, and bytes stored read back as the same text", () =>
      run(Effect.gen(function*() {
        const storage = yield* ObjectStorage
        yield* storage.putIfAbsent("a/text.json", "Søng — 東京")
        yield* storage.putIfAbsent("a/bytes.json", new TextEncoder().encode("Søng — 東京"))
        const asBytes = yield* storage.getBytes("a/text.json")
        expect(Option.map(asBytes, (o) => new TextDecoder().decode(o.bytes))).toEqual(Option.some("Søng — 東京"))
        expect(Option.map(yield* storage.get("a/bytes.json"), (o) => o.body)).toEqual(Option.some("Søng — 東京"))
      })))

    it.effect("put creates or replaces; remove deletes, and removing a missing key is fine", () =>
      run(Effect.gen(function*() {
        const storage = yield* ObjectStorage
        const first = yield* storage.put("warehouse/top/data.parquet", "one")
        expect(Option.map(yield* storage.get("warehouse/top/data.parquet"), (o) => o.body)).toEqual(Option.some("one"))
        const second = yield* storage.put("warehouse/top/data.parquet", "two")
        expect(yield* storage.get("warehouse/top/data.parquet")).toEqual(Option.some({ body: "two", etag: second.etag }))
        expect(second.etag).not.toBe(first.etag)
        yield* storage.remove("warehouse/top/data.parquet")
        expect(yield* storage.get("warehouse/top/data.parquet")).toEqual(Option.none())
        expect(yield* storage.list("warehouse/")).toEqual([])
        yield* storage.remove("warehouse/top/data.parquet")
        expect(yield* reasonOf(storage.remove("../escape"))).toBe("Invalid")
        expect(yield* reasonOf(storage.put("a//b", "x"))).toBe("Invalid")
      })))

    it.effect("a batch of create-only puts creates every object, text or bytes, and reports each in the order given", () =>
      run(Effect.gen(function*() {
        const storage = yield* ObjectStorage
        const objects = [
          { key: "exports/year=2025/month=12/day=25/b.jsonl", body: "Søng — 東京 🎧\n" },
          { key: "exports/year=2025/month=12/day=25/a.jsonl", body: new TextEncoder().encode("bytes\n") },
          { key: "links/year=2024/month=01/day=01/c.jsonl", body: bigBody() }
        ]
        expect(yield* storage.putManyIfAbsent(objects)).toEqual(["created", "created", "created"])
        const bodies = yield* Effect.forEach(objects, ({ key }) => storage.get(key).pipe(Effect.map(Option.map((o) => o.body))))
        expect(bodies).toEqual([Option.some("Søng — 東京 🎧\n"), Option.some("bytes\n"), Option.some(objects[2]?.body)])
        expect(yield* storage.list("")).toEqual(objects.map(({ key }) => key).sort())
        expect(yield* storage.putManyIfAbsent([])).toEqual([])
      })))

    it.effect("a batch with an invalid or repeated key is refused whole: nothing of it is created", () =>
      run(Effect.gen(function*() {
        const storage = yield* ObjectStorage
        for (const bad of ["../escape.json", "a//b.json", ".tmp/x", ""]) {
          expect(yield* reasonOf(storage.putManyIfAbsent([{ key: "plays/ok.jsonl", body: "x" }, { key: bad, body: "x" }]))).toBe("Invalid")
        }
        const twice = [{ key: "plays/ok.jsonl", body: "x" }, { key: "plays/other.jsonl", body: "y" }, { key: "plays/ok.jsonl", body: "z" }]
        expect(yield* reasonOf(storage.putManyIfAbsent(twice))).toBe("Invalid")
        expect(yield* storage.list("")).toEqual([])
      })))

    conditional("a batch of create-only puts leaves existing keys unchanged and reports them, creating the others", () =>
      run(Effect.gen(function*() {
        const storage = yield* ObjectStorage
        const { etag } = yield* storage.putIfAbsent("plays/b.jsonl", "original")
        const outcomes = yield* storage.putManyIfAbsent([
          { key: "plays/a.jsonl", body: "a" },
          { key: "plays/b.jsonl", body: "other" },
          { key: "plays/c.jsonl", body: "c" }
        ])
        expect(outcomes).toEqual(["created", "exists", "created"])
        expect(yield* storage.get("plays/b.jsonl")).toEqual(Option.some({ body: "original", etag }))
        expect(yield* storage.putManyIfAbsent([{ key: "plays/c.jsonl", body: "again" }])).toEqual(["exists"])
        expect(Option.map(yield* storage.get("plays/c.jsonl"), (o) => o.body)).toEqual(Option.some("c"))
      })))

    conditional(`concurrent batches of the same keys from ${fibers} fibers: each key is created exactly once, whole`, () =>
      run(Effect.gen(function*() {
        const storage = yield* ObjectStorage
        const keys = Array.from({ length: 12 }, (_, i) => `exports/year=2025/month=01/day=${String(i + 1).padStart(2, "0")}/o.jsonl`)
        const batches = yield* Effect.all(
          Array.from({ length: fibers }, (_, writer) =>
            storage.putManyIfAbsent(keys.map((key) => ({ key, body: `writer ${writer} ${key}` })))),
          { concurrency: "unbounded" }
        )
        const creators = keys.map((_, i) => batches.flatMap((outcomes, writer) => outcomes[i] === "created" ? [writer] : []))
        expect(creators.map((writers) => writers.length)).toEqual(keys.map(() => 1))
        const bodies = yield* Effect.forEach(keys, (key) => storage.get(key).pipe(Effect.map(Option.map((o) => o.body))))
        expect(bodies).toEqual(keys.map((key, i) => Option.some(`writer ${creators[i]?.[0]} ${key}`)))
      })))

    conditional("create-only put conflicts on an existing key and leaves it unchanged", () =>
      run(Effect.gen(function*() {
        const storage = yield* ObjectStorage
        const { etag } = yield* storage.putIfAbsent("plays/a.jsonl", "original")
        expect(yield* reasonOf(storage.putIfAbsent("plays/a.jsonl", "other"))).toBe("Conflict")
        expect(yield* storage.get("plays/a.jsonl")).toEqual(Option.some({ body: "original", etag }))
      })))

    conditional("compare-and-swap with a stale etag conflicts and leaves the object unchanged", () =>
      run(Effect.gen(function*() {
        const storage = yield* ObjectStorage
        const first = yield* storage.putIfAbsent("state/sync.json", "v1")
        const second = yield* storage.putIfMatch("state/sync.json", "v2", first.etag)
        expect(yield* reasonOf(storage.putIfMatch("state/sync.json", "v3", first.etag))).toBe("Conflict")
        expect(yield* storage.get("state/sync.json")).toEqual(Option.some({ body: "v2", etag: second.etag }))
      })))

    conditional("compare-and-swap on a missing key conflicts and creates nothing", () =>
      run(Effect.gen(function*() {
        const storage = yield* ObjectStorage
        const { etag } = yield* storage.putIfAbsent("state/other.json", "v1")
        expect(yield* reasonOf(storage.putIfMatch("state/sync.json", "v1", etag))).toBe("Conflict")
        expect(yield* storage.get("state/sync.json")).toEqual(Option.none())
      })))

    const race = (attempt: (i: number) => Effect.Effect<{ readonly etag: string }, { readonly reason: string }>) =>
      Effect.gen(function*() {
        const results = yield* Effect.all(
          Array.from({ length: fibers }, (_, i) => Effect.either(attempt(i))),
          { concurrency: "unbounded" }
        )
        const winners = results.flatMap((result, i) => result._tag === "Right" ? [{ i, etag: result.right.etag }] : [])
        const losers = results.flatMap((result) => result._tag === "Left" ? [result.left.reason] : [])
        expect(winners).toHaveLength(1)
        expect(losers).toEqual(Array.from({ length: fibers - 1 }, () => "Conflict"))
        const [winner] = winners
        return { body: `writer ${winner?.i}`, etag: winner?.etag }
      })

    conditional(`concurrent create-only puts of one key from ${fibers} fibers: exactly one wins`, () =>
      run(Effect.gen(function*() {
        const storage = yield* ObjectStorage
        const winner = yield* race((i) => storage.putIfAbsent("plays/race.jsonl", `writer ${i}`))
        expect(yield* storage.get("plays/race.jsonl")).toEqual(Option.some(winner))
      })))

    conditional(`concurrent compare-and-swap from ${fibers} fibers on one version: exactly one wins`, () =>
      run(Effect.gen(function*() {
        const storage = yield* ObjectStorage
        const { etag } = yield* storage.putIfAbsent("state/sync.json", "v0")
        const winner = yield* race((i) => storage.putIfMatch("state/sync.json", `writer ${i}`, etag))
        expect(yield* storage.get("state/sync.json")).toEqual(Option.some(winner))
      })))
  })
