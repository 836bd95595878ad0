import type { HistoryEvent } from "../../history/model.js";
import type { Untyped } from "../durabletask/sdk.js";

/**
 * Converts a canonical event to the Durable Functions host wire shape the JS executor reads
 * (PascalCase, numeric EventType, Date timestamps), or undefined for events it has no type for.
 */
export function toWireEvent(event: HistoryEvent, types: Record<string, number>, isPlayed: boolean): Untyped {
  const base = (type: string) => ({
    EventType: types[type],
    EventId: event.eventId,
    IsPlayed: isPlayed,
    Timestamp: new Date(event.timestamp ?? 0),
  });
  switch (event.kind) {
    case "orchestratorStarted":
      return base("OrchestratorStarted");
    case "orchestratorCompleted":
      return base("OrchestratorCompleted");
    case "executionStarted":
      return { ...base("ExecutionStarted"), Name: event.name, Input: event.input, Version: event.version };
    case "executionCompleted":
      return { ...base("ExecutionCompleted"), OrchestrationStatus: event.status, Result: event.result };
    case "executionTerminated":
      return { ...base("ExecutionTerminated"), Input: event.input };
    case "executionSuspended":
      return { ...base("ExecutionSuspended"), Reason: event.input };
    case "executionResumed":
      return { ...base("ExecutionResumed"), Reason: event.input };
    case "continueAsNew":
      return { ...base("ContinueAsNew"), Result: event.input };
    case "taskScheduled":
      return { ...base("TaskScheduled"), Name: event.name, Input: event.input };
    case "taskCompleted":
      // The executor JSON.parses Result; the host sends "null" for an activity that returned nothing.
      return { ...base("TaskCompleted"), TaskScheduledId: event.taskScheduledId, Result: event.result ?? "null" };
    case "taskFailed":
      return {
        ...base("TaskFailed"),
        TaskScheduledId: event.taskScheduledId,
        Reason: event.failure.errorMessage,
        Details: event.failure.stackTrace ?? "",
      };
    case "subOrchestrationInstanceCreated":
      return { ...base("SubOrchestrationInstanceCreated"), Name: event.name, InstanceId: event.instanceId, Input: event.input };
    case "subOrchestrationInstanceCompleted":
      return { ...base("SubOrchestrationInstanceCompleted"), TaskScheduledId: event.taskScheduledId, Result: event.result ?? "null" };
    case "subOrchestrationInstanceFailed":
      return {
        ...base("SubOrchestrationInstanceFailed"),
        TaskScheduledId: event.taskScheduledId,
        Reason: event.failure.errorMessage,
        Details: event.failure.stackTrace ?? "",
      };
    case "timerCreated":
      return { ...base("TimerCreated"), FireAt: new Date(event.fireAt) };
    case "timerFired":
      return { ...base("TimerFired"), TimerId: event.timerId, FireAt: new Date(event.fireAt) };
    case "eventSent":
      return { ...base("EventSent"), Name: event.name, InstanceId: event.instanceId, Input: event.input };
    case "eventRaised":
      return { ...base("EventRaised"), Name: event.name, Input: event.input };
    case "genericEvent":
      return { ...base("GenericEvent"), Data: event.data };
    case "historyState":
      return base("HistoryState");
    default:
      return undefined;
  }
}
