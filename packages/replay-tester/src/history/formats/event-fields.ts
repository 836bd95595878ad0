/**
 * What proto3-JSON and the durabletask-js "friendly" format have in common: both carry each event's
 * own fields under the same camelCase names (the friendly form flattens them beside a `type`), so
 * one writer serves both; only the spelling of FailureDetails differs. Reading walks the same way.
 */
import { FieldReader, type JsonObject } from "./fields.js";
import { PROTO_STATUS_NAMES, statusNumber } from "./status.js";
import type { FailureDetails, History, HistoryEvent, HistoryFormat } from "../model.js";

export type FailureWriter = (failure: FailureDetails) => JsonObject;

/** The fields of one event, in proto field order; undefined values vanish when serialised. */
export function eventFields(event: HistoryEvent, writeFailure: FailureWriter): JsonObject {
  switch (event.kind) {
    case "orchestratorStarted":
    case "orchestratorCompleted":
    case "historyState":
      return {};
    case "executionStarted": {
      const hasInstance = event.instanceId !== undefined || event.executionId !== undefined;
      const parent = event.parentInstance;
      return {
        name: event.name,
        version: event.version,
        input: event.input,
        orchestrationInstance: hasInstance ? { instanceId: event.instanceId ?? "", executionId: event.executionId } : undefined,
        parentInstance: parent && {
          taskScheduledId: parent.taskScheduledId,
          name: parent.name,
          orchestrationInstance: { instanceId: parent.instanceId },
        },
        scheduledStartTimestamp: event.scheduledStartTimestamp,
        tags: event.tags,
      };
    }
    case "executionCompleted":
      return {
        orchestrationStatus: PROTO_STATUS_NAMES[statusNumber(event.status)],
        result: event.result,
        failureDetails: event.failure && writeFailure(event.failure),
      };
    case "executionTerminated":
      return { input: event.input, recurse: event.recurse };
    case "executionSuspended":
    case "executionResumed":
    case "continueAsNew":
      return { input: event.input };
    case "taskScheduled":
      return { name: event.name, version: event.version, input: event.input, tags: event.tags };
    case "taskCompleted":
    case "subOrchestrationInstanceCompleted":
      return { taskScheduledId: event.taskScheduledId, result: event.result };
    case "taskFailed":
    case "subOrchestrationInstanceFailed":
      return { taskScheduledId: event.taskScheduledId, failureDetails: writeFailure(event.failure) };
    case "subOrchestrationInstanceCreated":
      return { instanceId: event.instanceId, name: event.name, version: event.version, input: event.input };
    case "timerCreated":
      return { fireAt: event.fireAt };
    case "timerFired":
      return { fireAt: event.fireAt, timerId: event.timerId };
    case "eventSent":
      return { instanceId: event.instanceId, name: event.name, input: event.input };
    case "eventRaised":
      return { name: event.name, input: event.input };
    case "genericEvent":
      return { data: event.data };
    case "executionRewound":
      return { reason: event.reason };
    default:
      return event.payload;
  }
}

/** Reads a list of raw events one by one, so every error names the event index. */
export function readEvents(
  format: HistoryFormat,
  events: unknown[] | undefined,
  file: string | undefined,
  expected: string,
  readEvent: (r: FieldReader, raw: unknown) => HistoryEvent,
): History {
  const r = new FieldReader(format, file);
  if (events === undefined) return r.fail(expected);
  const out: HistoryEvent[] = new Array(events.length);
  for (let i = 0; i < events.length; i++) {
    r.index = i;
    out[i] = readEvent(r, events[i]);
  }
  return { events: out, source: { file, format } };
}
