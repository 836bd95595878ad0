import { createRequire } from "node:module";
import { join } from "node:path";
import type { CallKind, DurableCall } from "../engine.js";
import { fromPbAction } from "./actions.js";
import type { DurableTaskSdk, Untyped } from "./sdk.js";

/** Where the call the code made at a rejected sequence id travels: error → completion action. */
const PRODUCED = Symbol("dtcheck.producedCall");

const KIND_BY_METHOD: Record<string, CallKind> = {
  callActivity: "activity",
  callSubOrchestrator: "subOrchestration",
  createTimer: "timer",
  sendEvent: "sendEvent",
};

const installed = new Set<string>();

/**
 * Records, in the very run that replays a history, which call the code made where the SDK rejected
 * the history (its NonDeterminismError names only the sequence id). The SDK builds that error with
 * helpers it looks up on its worker module at call time, passing the produced action (wrong kind)
 * or its name (wrong name); these helpers and the context's setFailed run only when a replay fails,
 * so the patches cost nothing on the replays that pass. Permanent, once per SDK copy.
 */
export function installRejectionCapture(sdk: DurableTaskSdk): void {
  if (installed.has(sdk.root)) return;
  installed.add(sdk.root);
  let worker: Untyped;
  try {
    worker = createRequire(join(sdk.root, "worker", "index.js"))("./index.js");
  } catch {
    return;
  }
  const wrongType = worker.getWrongActionTypeError;
  if (typeof wrongType === "function") {
    worker.getWrongActionTypeError = function (taskId: number, expectedMethodName: string, action: Untyped) {
      const error = wrongType.call(this, taskId, expectedMethodName, action);
      // Completing where the history has a call is a call the code no longer makes ("missing"), as a re-run reports it.
      const produced = action ? fromPbAction(sdk, action) : undefined;
      if (error && produced && produced.kind !== "completion") error[PRODUCED] = produced;
      return error;
    };
  }
  const wrongName = worker.getWrongActionNameError;
  if (typeof wrongName === "function") {
    worker.getWrongActionNameError = function (taskId: number, methodName: string, expectedName: string, actualName: string) {
      const error = wrongName.call(this, taskId, methodName, expectedName, actualName);
      const kind = KIND_BY_METHOD[methodName];
      if (error && kind) error[PRODUCED] = { kind, id: taskId, name: actualName } satisfies DurableCall;
      return error;
    };
  }
  const context = sdk.RuntimeOrchestrationContext.prototype;
  const setFailed = context.setFailed;
  if (typeof setFailed === "function") {
    context.setFailed = function (this: Untyped, error: Untyped) {
      const result = setFailed.call(this, error);
      const produced = error?.[PRODUCED];
      if (produced) {
        // setFailed has just added the failing completion action under the newest sequence number.
        const completion = this._pendingActions?.[this._sequenceNumber];
        if (completion) completion[PRODUCED] = produced;
      }
      return result;
    };
  }
}

/** The call the code made at the rejected sequence id, when the run's failing completion action carries it. */
export function producedAtRejection(completionAction: Untyped): DurableCall | undefined {
  return completionAction?.[PRODUCED];
}
