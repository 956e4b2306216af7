import type * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Runtime from "effect/Runtime"

/** The part of Lambda's context object the handler reads. */
export interface LambdaContext {
  readonly awsRequestId: string
  readonly functionName: string
  readonly getRemainingTimeInMillis: () => number
}

export type LambdaHandler<A> = (event: unknown, context: LambdaContext) => Promise<A>

/**
 * An async Lambda handler (the only kind Node.js 24 runtimes call) that builds `layer` once per
 * container and reuses it (clients, cached access token) for every warm invocation. A build
 * that failed is not kept: the next event builds afresh, as a fixed setting or a secret put in
 * the meantime should take effect without a redeploy. Failures reach Lambda as the Error that
 * `explain` makes of them, so they count in its Errors metric.
 */
export const lambdaHandler = <A, E, R, LE>(
  layer: Layer.Layer<R, LE>,
  handle: (event: unknown, context: LambdaContext) => Effect.Effect<A, E, R>,
  explain: (cause: Cause.Cause<E | LE>) => Error
): LambdaHandler<A> => {
  let current: ManagedRuntime.ManagedRuntime<R, LE> | undefined

  const runtime = async () => {
    const managed = current ??= ManagedRuntime.make(layer)
    const built = await Effect.runPromiseExit(managed.runtimeEffect)
    if (Exit.isSuccess(built)) return built.value
    if (current === managed) current = undefined
    await managed.dispose()
    throw explain(built.cause)
  }

  const handler = async (event: unknown, context: LambdaContext) => {
    const exit = await Runtime.runPromiseExit(await runtime())(handle(event, context))
    if (Exit.isFailure(exit)) throw explain(exit.cause)
    return exit.value
  }
  return handler
}
