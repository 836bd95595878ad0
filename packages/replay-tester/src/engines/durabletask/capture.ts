import { dirname } from "node:path";
import type { DurableCall } from "../engine.js";
import { captureCallSites, userFrame } from "../stack.js";
import type { DurableTaskSdk, Untyped } from "./sdk.js";
import { fromPbAction } from "./actions.js";

/** Context methods that allocate a sequence id for a durable call, and the call kind they make. */
export const CALL_METHODS: readonly [string, DurableCall["kind"]][] = [
  ["callActivity", "activity"],
  ["callSubOrchestrator", "subOrchestration"],
  ["createTimer", "timer"],
  ["sendEvent", "sendEvent"],
];

/** Methods of the context's entity feature that send entity messages. */
export const ENTITY_METHODS = ["callEntity", "signalEntity", "lockEntities", "exitCriticalSection"];

/** The entity feature's class is not exported; reach its prototype through a context (absent in SDKs without entities). */
export function entityFeaturePrototype(sdk: DurableTaskSdk): Untyped {
  try {
    const feature = new sdk.RuntimeOrchestrationContext("dtcheck-probe")._entityFeature;
    return feature ? Object.getPrototypeOf(feature) : undefined;
  } catch {
    return undefined;
  }
}

export interface CaptureState {
  /** Capture the stack of each call (slow); otherwise only record what was called. */
  withStacks: boolean;
  /** Every call made during the run, by sequence id, with the user's source location. */
  calls: Map<number, DurableCall>;
  /** The protobuf event being processed when the SDK raised NonDeterminismError. */
  rejectedEvent?: Untyped;
  /** The outermost protobuf event being processed when the orchestrator code threw. */
  failedEvent?: Untyped;
}

/*
 * Runs are told apart by object identity, so concurrent replays never record into each other:
 * the engine registers its executor before calling execute(); the first event the executor
 * processes ties the executor's fresh context to the same state.
 */
const executorStates = new WeakMap<object, CaptureState>();
const contextStates = new WeakMap<object, CaptureState>();
const installed = new Map<DurableTaskSdk, { users: number; uninstall: () => void }>();

/** Marks an executor so that its run records into `state`. */
export function trackExecutor(executor: object, state: CaptureState): void {
  executorStates.set(executor, state);
}

function install(sdk: DurableTaskSdk): () => void {
  const proto = sdk.RuntimeOrchestrationContext.prototype;
  const executorProto = sdk.OrchestrationExecutor.prototype;
  const excluded = [sdk.root, dirname(dirname(sdk.root))];
  const restores: (() => void)[] = [];

  for (const [method, kind] of CALL_METHODS) {
    const original = proto[method];
    if (typeof original !== "function") continue;
    const wrapper = function (this: Untyped, ...args: unknown[]) {
      const state = contextStates.get(this);
      if (!state) return original.apply(this, args);
      const sites = state.withStacks ? captureCallSites() : undefined;
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

  // Entity messages are made by the context's entity feature (ctx.entities), one sequence id each
  // (an unlock per locked entity), so record every action the method added.
  const featureProto = entityFeaturePrototype(sdk);
  for (const method of featureProto ? ENTITY_METHODS : []) {
    const original = featureProto[method];
    if (typeof original !== "function") continue;
    const wrapper = function (this: Untyped, ...args: unknown[]) {
      const context = this.context;
      const state = context && contextStates.get(context);
      if (!state) return original.apply(this, args);
      const sites = state.withStacks ? captureCallSites() : undefined;
      const before: number = context._sequenceNumber;
      const result = original.apply(this, args);
      for (let id = before + 1; id <= context._sequenceNumber; id++) {
        const action = context._pendingActions?.[id];
        if (!action) continue;
        const call = fromPbAction(sdk, action);
        if (sites) call.location = userFrame(sites, excluded);
        state.calls.set(id, call);
      }
      return result;
    };
    Object.defineProperty(wrapper, "name", { value: original.name });
    featureProto[method] = wrapper;
    restores.push(() => {
      featureProto[method] = original;
    });
  }

  const processEvent = executorProto.processEvent;
  executorProto.processEvent = async function (this: Untyped, ctx: Untyped, event: Untyped) {
    const state = executorStates.get(this);
    if (!state) return processEvent.call(this, ctx, event);
    if (!contextStates.has(ctx)) contextStates.set(ctx, state);
    try {
      return await processEvent.call(this, ctx, event);
    } catch (error) {
      // A rejection names the event the SDK checked (the innermost). A throw is placed at the
      // outermost event: an event held while the orchestration was suspended runs the code inside
      // the executionResumed that delivers it, and that resume's work item is where the runtime fails.
      if ((error as Error)?.name === "NonDeterminismError") state.rejectedEvent ??= event;
      else state.failedEvent = event;
      throw error;
    }
  };
  restores.push(() => {
    executorProto.processEvent = processEvent;
  });

  const previousLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = Math.max(previousLimit, 30);
  restores.push(() => {
    Error.stackTraceLimit = previousLimit;
  });
  return () => {
    for (const restore of restores.reverse()) restore();
  };
}

/**
 * Instruments the SDK's context and executor while at least one recording run is in progress
 * (reference-counted, so overlapping runs neither double-wrap nor unwrap each other). Fast runs
 * that are not tracked pass straight through. Returns the release function.
 */
export function installCapture(sdk: DurableTaskSdk): () => void {
  let entry = installed.get(sdk);
  if (!entry) {
    entry = { users: 0, uninstall: install(sdk) };
    installed.set(sdk, entry);
  }
  entry.users++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const current = installed.get(sdk);
    if (current && --current.users === 0) {
      current.uninstall();
      installed.delete(sdk);
    }
  };
}
