import type { DurableCall } from "../engine.js";
import { fromPbEntityMessage } from "./entity-actions.js";
import { fromPbStatus } from "./to-protobuf.js";
import type { DurableTaskSdk, Untyped } from "./sdk.js";
import type { FailureDetails } from "../../history/model.js";

function str(value: Untyped): string | undefined {
  if (value == null) return undefined;
  const v = value.getValue();
  return v === "" ? undefined : v;
}

export function fromPbFailure(f: Untyped): FailureDetails | undefined {
  if (!f) return undefined;
  const details: FailureDetails = { errorType: f.getErrortype(), errorMessage: f.getErrormessage() };
  const stack = str(f.getStacktrace?.());
  if (stack !== undefined) details.stackTrace = stack;
  const inner = fromPbFailure(f.getInnerfailure?.());
  if (inner) details.innerFailure = inner;
  if (f.getIsnonretriable?.()) details.isNonRetriable = true;
  return details;
}

/** Converts one OrchestratorAction of the SDK into an SDK-neutral call. */
export function fromPbAction(sdk: DurableTaskSdk, action: Untyped): DurableCall {
  const id: number = action.getId();
  if (action.hasScheduletask()) {
    const t = action.getScheduletask();
    return { kind: "activity", id, name: t.getName(), input: str(t.getInput()) };
  }
  if (action.hasCreatetimer()) {
    const fireAt = action.getCreatetimer().getFireat();
    return { kind: "timer", id, fireAt: fireAt ? fireAt.toDate().toISOString() : undefined };
  }
  if (action.hasCreatesuborchestration()) {
    const s = action.getCreatesuborchestration();
    return { kind: "subOrchestration", id, name: s.getName(), instanceId: s.getInstanceid(), input: str(s.getInput()) };
  }
  if (action.hasSendevent()) {
    const s = action.getSendevent();
    return { kind: "sendEvent", id, name: s.getName(), instanceId: s.getInstance()?.getInstanceid(), input: str(s.getData()) };
  }
  if (action.hasCompleteorchestration()) {
    const c = action.getCompleteorchestration();
    return {
      kind: "completion",
      id,
      status: fromPbStatus(sdk, c.getOrchestrationstatus()),
      output: str(c.getResult()),
      failure: fromPbFailure(c.getFailuredetails()),
    };
  }
  if (typeof action.hasSendentitymessage === "function" && action.hasSendentitymessage()) {
    return fromPbEntityMessage(id, action.getSendentitymessage());
  }
  return { kind: "terminate", id };
}
