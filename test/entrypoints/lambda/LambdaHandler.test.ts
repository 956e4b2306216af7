import { Cause, Context, Data, Effect, Layer, Option } from "effect"
import { describe, expect, it } from "vitest"
import { type LambdaContext, lambdaHandler } from "../../../src/entrypoints/lambda/LambdaHandler.js"

/* The ManagedRuntime wrapper alone, with layers that count their builds. */

class Counter extends Context.Tag("test/Counter")<Counter, { readonly build: number }>() {}

class Boom extends Data.TaggedError("Boom")<{ readonly message: string }> {}

const context = (awsRequestId: string): LambdaContext => ({
  awsRequestId,
  functionName: "f",
  getRemainingTimeInMillis: () => 60_000
})

const explain = (cause: Cause.Cause<Boom>) =>
  Option.match(Cause.failureOption(cause), {
    onSome: (error) => Object.assign(new Error(error.message), { name: error._tag }),
    onNone: () => new Error("defect")
  })

/** A layer whose builds are counted; the builds listed in `failing` fail. */
const countedLayer = (failing: ReadonlyArray<number> = []) => {
  let builds = 0
  const layer = Layer.effect(
    Counter,
    Effect.suspend(() => {
      builds += 1
      return failing.includes(builds)
        ? Effect.fail(new Boom({ message: `build ${builds} failed` }))
        : Effect.succeed({ build: builds })
    })
  )
  return { layer, builds: () => builds }
}

describe("lambdaHandler", () => {
  it("is what Node.js 24 runtimes call: (event, context), no callback, a Promise of the result or of the explained Error", async () => {
    const handler = lambdaHandler(
      countedLayer().layer,
      (event, ctx) => event === "bad" ? Effect.fail(new Boom({ message: "the sync failed" })) : Effect.succeed({ event, requestId: ctx.awsRequestId }),
      explain
    )
    // Node.js 24 runtimes refuse, at init, a handler that declares a third (callback) parameter.
    expect(handler.length).toBe(2)
    const answered = handler("good", context("r1"))
    expect(answered).toBeInstanceOf(Promise)
    expect(await answered).toEqual({ event: "good", requestId: "r1" })
    const refused = handler("bad", context("r2"))
    expect(refused).toBeInstanceOf(Promise)
    const error = await refused.then(() => undefined, (reason: unknown) => reason)
    expect(error).toBeInstanceOf(Error)
    expect(error).toMatchObject({ name: "Boom", message: "the sync failed" })
  })

  it("builds its layer once and reuses it for every warm invocation", async () => {
    const { builds, layer } = countedLayer()
    const handler = lambdaHandler(layer, (event, ctx) =>
      Effect.map(Counter, (counter) => ({ event, requestId: ctx.awsRequestId, build: counter.build })), explain)
    expect(await handler("a", context("r1"))).toEqual({ event: "a", requestId: "r1", build: 1 })
    expect(await handler("b", context("r2"))).toEqual({ event: "b", requestId: "r2", build: 1 })
    expect(builds()).toBe(1)
  })

  it("does not keep a failed build: the next event builds afresh", async () => {
    const { builds, layer } = countedLayer([1])
    const handler = lambdaHandler(layer, () => Effect.map(Counter, (counter) => counter.build), explain)
    await expect(handler(null, context("r1"))).rejects.toMatchObject({ name: "Boom", message: "build 1 failed" })
    expect(await handler(null, context("r2"))).toBe(2)
    expect(await handler(null, context("r3"))).toBe(2)
    expect(builds()).toBe(2)
  })

  it("rejects with the error `explain` makes of a failed invocation, and keeps serving", async () => {
    const handler = lambdaHandler(
      countedLayer().layer,
      (event) => event === "bad" ? Effect.fail(new Boom({ message: "the sync failed" })) : Effect.succeed("ok"),
      explain
    )
    await expect(handler("bad", context("r1"))).rejects.toMatchObject({ name: "Boom", message: "the sync failed" })
    expect(await handler("good", context("r2"))).toBe("ok")
  })
})
