import { Effect, Option, Ref } from "effect"
import type { StoredToken } from "../domain/StoredToken.js"
import type { TokenStoreShape } from "./TokenStoreShape.js"

export const makeMemory: Effect.Effect<TokenStoreShape> = Effect.gen(function*() {
  const ref = yield* Ref.make(Option.none<StoredToken>())
  return {
    get: Ref.get(ref).pipe(Effect.withSpan("TokenStore.get")),
    set: Effect.fn("TokenStore.set")(function*(token: StoredToken) {
      yield* Ref.set(ref, Option.some(token))
    })
  }
})
