import { describe, expect, type Vitest } from "@effect/vitest"
import { Effect, Layer, Option, Redacted } from "effect"
import type { StoredToken } from "../../../src/domain/StoredToken.js"
import { TokenStore } from "../../../src/services/tokens/TokenStore.js"

export const token = (refresh: string, fingerprint: string | null = null): StoredToken => ({
  refresh_token: Redacted.make(refresh),
  authorised_at_ms: 1_767_225_600_000,
  bootstrap_fingerprint: fingerprint
})

/**
 * One suite for every TokenStore layer, run by `it` (@effect/vitest's, or a `layer(...)` block's
 * for a shared server); `store` is built for each test and must be empty.
 */
export const tokenStoreContract = <R>(it: Vitest.MethodsNonLive<R>, name: string, store: Layer.Layer<TokenStore, unknown, R>) =>
  describe(`TokenStore contract: ${name}`, () => {
    const run = <A, E>(effect: Effect.Effect<A, E, TokenStore>) => Effect.provide(effect, Layer.fresh(store))
    const refreshOf = (stored: Option.Option<StoredToken>) => Option.map(stored, (t) => Redacted.value(t.refresh_token))

    it.effect("is empty at first", () =>
      run(Effect.gen(function*() {
        const store = yield* TokenStore
        expect(yield* store.get).toEqual(Option.none())
      })))

    it.effect("returns the token it was given, fields intact", () =>
      run(Effect.gen(function*() {
        const store = yield* TokenStore
        yield* store.set(token("AQD-refresh-1", "sha256:abc"))
        const stored = yield* store.get
        expect(stored).toEqual(Option.some(token("AQD-refresh-1", "sha256:abc")))
        expect(refreshOf(stored)).toEqual(Option.some("AQD-refresh-1"))
      })))

    it.effect("keeps only the latest token after a rotation", () =>
      run(Effect.gen(function*() {
        const store = yield* TokenStore
        yield* store.set(token("AQD-refresh-1"))
        yield* store.set({ ...token("AQD-refresh-2"), authorised_at_ms: 42 })
        const stored = yield* store.get
        expect(refreshOf(stored)).toEqual(Option.some("AQD-refresh-2"))
        expect(Option.map(stored, (t) => t.authorised_at_ms)).toEqual(Option.some(42))
        expect(Option.map(stored, (t) => t.bootstrap_fingerprint)).toEqual(Option.some(null))
      })))

    it.effect("keeps a token with unusual characters intact", () =>
      run(Effect.gen(function*() {
        const store = yield* TokenStore
        const refresh = "AQ\"D\\/ü+=🎧\n"
        yield* store.set(token(refresh, "fp"))
        expect(refreshOf(yield* store.get)).toEqual(Option.some(refresh))
      })))
  })
