import type { OrchestratorTarget } from "../engines/engine.js";
import { loadDurableTaskSdk, type Untyped } from "../engines/durabletask/sdk.js";
import { loadDurableFunctionsSdk } from "../engines/durable-functions/sdk.js";

/**
 * Records the names of the external events the orchestrator code waits for, so the fuzzed world
 * can raise them without the user listing them. Wraps the SDK context's waitForExternalEvent for
 * the duration of `fn` and always restores it.
 */
export async function withEventDiscovery<T>(target: OrchestratorTarget, names: Set<string>, fn: () => Promise<T>): Promise<T> {
  const proto: Untyped =
    target.sdk === "durable-functions"
      ? loadDurableFunctionsSdk(target.sdkRoot).DurableOrchestrationContext.prototype
      : loadDurableTaskSdk(target.sdkRoot).RuntimeOrchestrationContext.prototype;
  const original = proto.waitForExternalEvent;
  if (typeof original !== "function") return fn();
  proto.waitForExternalEvent = function (this: Untyped, name: unknown, ...rest: unknown[]) {
    if (typeof name === "string" && name) names.add(name);
    return original.call(this, name, ...rest);
  };
  try {
    return await fn();
  } finally {
    proto.waitForExternalEvent = original;
  }
}
