/**
 * Mutated Durable Functions orchestrators for oracle tests: the original `function*` run on a
 * context whose `at`-th durable call (1-based, per invocation, counting context.df.callActivity,
 * callActivityWithRetry, callSubOrchestrator, callSubOrchestratorWithRetry and createTimer) is
 * changed the way a careless deploy changes it. The same operations as mutations.ts (durabletask-js).
 */
import { mutatingProxy, type Mutation } from "./mutations.js";

const DURABLE_CALLS = new Set(["callActivity", "callActivityWithRetry", "callSubOrchestrator", "callSubOrchestratorWithRetry", "createTimer"]);

interface DfContext {
  df: Record<string | symbol, unknown> & { callActivity(name: string, input?: unknown): unknown; createTimer(fireAt: Date): unknown; currentUtcDateTime: Date };
}
type DfOrchestrator = (context: DfContext) => Generator<unknown, unknown, unknown>;

/** The durable-functions orchestrator `original` with `mutation` applied (see mutatingProxy). */
export function mutateDf(original: DfOrchestrator, mutation: Mutation): DfOrchestrator {
  return function* mutated(context: DfContext) {
    // An activity never yielded: durable-functions reports only yielded tasks to the host, so "insert" schedules nothing here.
    const { proxy: df, stopped } = mutatingProxy(context.df, DURABLE_CALLS, mutation, (target) => ({
      activity: (name) => target.callActivity(name),
      timer: () => target.createTimer(new Date(target.currentUtcDateTime.getTime() + 1000)),
    }));
    const inner = original(new Proxy(context, { get: (target, property) => (property === "df" ? df : Reflect.get(target, property)) }));
    // Driven by hand so drop-later can return before yielding its call, and a failed task reaches the original's try/catch.
    let next = inner.next();
    while (!next.done) {
      if (stopped()) return "dropped";
      let resumed: { value: unknown } | { error: unknown };
      try {
        resumed = { value: yield next.value };
      } catch (error) {
        resumed = { error };
      }
      next = "error" in resumed ? inner.throw(resumed.error) : inner.next(resumed.value);
    }
    return next.value;
  };
}
