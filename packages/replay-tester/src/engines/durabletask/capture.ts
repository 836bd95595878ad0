import { dirname } from "node:path";
import type { DurableCall } from "../engine.js";
import { captureCallSites, userFrame } from "../stack.js";
import type { DurableTaskSdk, Untyped } from "./sdk.js";
import { fromPbAction } from "./actions.js";

/** Context methods that allocate a sequence id for a durable call, and the call kind they make. */
const CALL_METHODS: readonly [string, DurableCall["kind"]][] = [
  ["callActivity", "activity"],
  ["callSubOrchestrator", "subOrchestration"],
  ["createTimer", "timer"],
  ["sendEvent", "sendEvent"],
];

export interface CaptureState {
  /** Every call made during the run, by sequence id, with the user's source location. */
  calls: Map<number, DurableCall>;
  /** The protobuf event being processed when the SDK raised NonDeterminismError. */
  rejectedEvent?: Untyped;
  /** The protobuf event being processed when the orchestrator code threw. */
  failedEvent?: Untyped;
}

/**
 * Instruments the SDK's context and executor for one slow, explanatory run: each call records the
 * stack of the orchestrator code that made it, and the history event the SDK rejects is noted.
 * Returns a function that removes the instrumentation.
 */
export function installCapture(sdk: DurableTaskSdk, state: CaptureState, withStacks = true): () => void {
  const proto = sdk.RuntimeOrchestrationContext.prototype;
  const executorProto = sdk.OrchestrationExecutor.prototype;
  const sdkPackageDir = dirname(dirname(sdk.root));
  const excluded = [sdk.root, sdkPackageDir];
  const restores: (() => void)[] = [];
  const previousLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 30;
  restores.push(() => {
    Error.stackTraceLimit = previousLimit;
  });

  for (const [method, kind] of CALL_METHODS) {
    const original = proto[method];
    if (typeof original !== "function") continue;
    const wrapper = function (this: Untyped, ...args: unknown[]) {
      const sites = withStacks ? captureCallSites() : undefined;
      const result = original.apply(this, args);
      const id: number = this._sequenceNumber;
      const action = this._pendingActions?.[id];
      // The action the SDK just built says exactly what was asked for (name, input, fire time).
      const call: DurableCall = action ? fromPbAction(sdk, action) : { kind, id };
      if (sites) call.location = userFrame(sites, excluded);
      state.calls.set(id, call);
      return result;
    };
    // The SDK names calls in its messages by the method's function name (getName(ctx.callActivity)).
    Object.defineProperty(wrapper, "name", { value: original.name });
    proto[method] = wrapper;
    restores.push(() => {
      proto[method] = original;
    });
  }

  const processEvent = executorProto.processEvent;
  executorProto.processEvent = async function (this: Untyped, ctx: Untyped, event: Untyped) {
    try {
      return await processEvent.call(this, ctx, event);
    } catch (error) {
      if ((error as Error)?.name === "NonDeterminismError") state.rejectedEvent ??= event;
      else state.failedEvent ??= event;
      throw error;
    }
  };
  restores.push(() => {
    executorProto.processEvent = processEvent;
  });

  return () => {
    for (const restore of restores.reverse()) restore();
  };
}
