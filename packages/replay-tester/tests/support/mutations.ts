/**
 * Mutated orchestrator code for oracle tests: the original durabletask-js orchestrator, run on a
 * context whose `at`-th durable call (1-based, per invocation, counting callActivity,
 * callSubOrchestrator and createTimer) is changed the way a careless deploy changes it.
 */
import type { OrchestrationContext } from "@microsoft/durabletask-js";

export const MUTATION_OPS = ["rename", "retype", "insert", "throw", "drop-later"] as const;
export type MutationOp = (typeof MUTATION_OPS)[number];

export interface Mutation {
  op: MutationOp;
  /** The durable call it applies to, 1-based in the order the code makes them. */
  at: number;
}

const DURABLE_CALLS = new Set(["callActivity", "callSubOrchestrator", "createTimer"]);

type Orchestrator = (ctx: OrchestrationContext, input: unknown) => AsyncGenerator<unknown, unknown, unknown>;

const nameOf = (nameOrFn: unknown): string => (typeof nameOrFn === "function" ? nameOrFn.name : String(nameOrFn));

/** How a mutator makes calls on its SDK's context, for the mutated call to use instead. */
export interface CallSurface {
  activity(name: string): unknown;
  timer(): unknown;
}

/**
 * A proxy of `context` whose `at`-th call among `durableCalls` is mutated; `stopped()` says when a
 * drop-later mutation has been reached (the driver then returns). Shared by both SDKs' mutators.
 * - rename: the call goes to another activity / sub-orchestration name (a timer becomes an activity);
 * - retype: an activity or sub-orchestration becomes a timer, a timer an activity;
 * - insert: an extra, unawaited activity is scheduled just before the call (every later id shifts);
 * - throw: the code throws instead of making the call;
 * - drop-later: the code returns where it would make the call (what a removed tail does).
 */
export function mutatingProxy<T extends object>(context: T, durableCalls: ReadonlySet<string>, mutation: Mutation, surface: (target: T) => CallSurface): { proxy: T; stopped(): boolean } {
  let made = 0;
  let stop = false;
  const proxy = new Proxy(context, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (typeof value !== "function") return value;
      if (typeof property !== "string" || !durableCalls.has(property)) return value.bind(target);
      return (...args: unknown[]) => {
        made++;
        if (made !== mutation.at) return value.apply(target, args);
        const isTimer = property === "createTimer";
        switch (mutation.op) {
          case "rename":
            return isTimer ? surface(target).activity("renamedCall") : value.apply(target, [`${nameOf(args[0])}Renamed`, ...args.slice(1)]);
          case "retype":
            return isTimer ? surface(target).activity("notATimer") : surface(target).timer();
          case "insert":
            surface(target).activity("insertedAudit");
            return value.apply(target, args);
          case "throw":
            throw new Error(`mutation: call ${mutation.at} throws`);
          case "drop-later":
            stop = true;
            return value.apply(target, args);
        }
      };
    },
  });
  return { proxy, stopped: () => stop };
}

/** The durabletask-js orchestrator `original` with `mutation` applied (see mutatingProxy). */
export function mutate(original: Orchestrator, mutation: Mutation): Orchestrator {
  return async function* mutated(ctx: OrchestrationContext, input: unknown) {
    const { proxy, stopped } = mutatingProxy(ctx, DURABLE_CALLS, mutation, (target) => ({ activity: (name) => target.callActivity(name), timer: () => target.createTimer(1) }));
    const inner = original(proxy, input);
    // Drive the original generator by hand so drop-later can return before yielding its call.
    let next = await inner.next();
    while (!next.done) {
      if (stopped()) return "dropped";
      // A failed task is thrown into the generator: hand it on to the original's try/catch.
      let resumed: { value: unknown } | { error: unknown };
      try {
        resumed = { value: yield next.value };
      } catch (error) {
        resumed = { error };
      }
      next = "error" in resumed ? await inner.throw(resumed.error) : await inner.next(resumed.value);
    }
    return next.value;
  };
}
