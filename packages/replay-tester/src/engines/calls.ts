import type { HistoryEvent } from "../history/model.js";
import type { DurableCall } from "./engine.js";
import { entityCall } from "./durabletask/entity-actions.js";

export { isOutputEvent } from "../history/model.js";

/** The durable call a scheduling (or completion) event records, or undefined for other events. */
export function expectedCall(event: HistoryEvent): DurableCall | undefined {
  switch (event.kind) {
    case "taskScheduled":
      return { kind: "activity", id: event.eventId, name: event.name, input: event.input };
    case "timerCreated":
      return { kind: "timer", id: event.eventId, fireAt: event.fireAt };
    case "subOrchestrationInstanceCreated":
      return {
        kind: "subOrchestration",
        id: event.eventId,
        name: event.name,
        input: event.input,
        instanceId: event.instanceId,
      };
    case "eventSent":
      return { kind: "sendEvent", id: event.eventId, name: event.name, input: event.input, instanceId: event.instanceId };
    case "entityOperationCalled":
    case "entityOperationSignaled":
    case "entityLockRequested":
    case "entityUnlockSent":
      return entityCall(event.eventId, event.kind, event.payload);
    case "executionCompleted":
      return { kind: "completion", id: event.eventId, status: event.status, output: event.result, failure: event.failure };
    default:
      return undefined;
  }
}

/** A short human description of a call, e.g. `activity "sayHello"` or `timer`. */
export function describeCall(call: DurableCall | undefined): string {
  if (!call) return "nothing";
  switch (call.kind) {
    case "activity":
      return `activity "${call.name ?? ""}"`;
    case "subOrchestration":
      return `sub-orchestration "${call.name ?? ""}"`;
    case "timer":
      return call.fireAt ? `timer (fires ${call.fireAt})` : "timer";
    case "sendEvent":
      return `event "${call.name ?? ""}" sent to ${call.instanceId ?? "?"}`;
    case "entity":
      return `entity operation "${call.name ?? ""}"`;
    case "completion":
      return `completion (${call.status ?? "?"})`;
    case "terminate":
      return "terminate";
  }
}
