import { Cause, Exit, Option } from "effect"

/** The typed failure an Exit ended with; undefined when it succeeded, died or was interrupted. */
export const failureOf = <A, E>(exit: Exit.Exit<A, E>): E | undefined =>
  Exit.isFailure(exit) ? Option.getOrUndefined(Cause.failureOption(exit.cause)) : undefined
