import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import type { StoredToken } from "../../domain/StoredToken.js"
import { TokenStore } from "./TokenStore.js"

/** Empty at first; a fresh store per layer build. */
export const layer: Layer.Layer<TokenStore> = Layer.effect(
  TokenStore,
  Effect.gen(function*() {
    const ref = yield* Ref.make(Option.none<StoredToken>())
    return {
      get: Ref.get(ref).pipe(Effect.withSpan("TokenStore.get")),
      set: Effect.fn("TokenStore.set")(function*(token: StoredToken) {
        yield* Ref.set(ref, Option.some(token))
      })
    }
  })
)
