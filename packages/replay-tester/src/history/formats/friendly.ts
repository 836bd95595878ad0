/**
 * The durabletask-js "friendly" history: what `TaskHubGrpcClient.getOrchestrationHistory` returns
 * (src/orchestration/history-event.ts, built by utils/history-event-converter) and what a history
 * export writes as JSON or JSONL: `{"eventId":1,"timestamp":"...","type":"TaskScheduled","name":"sayHello","input":"\"Tokyo\""}`.
 * Timestamps may be ISO strings (from a file) or Date objects (straight from the SDK).
 *
 * FailureDetails: the SDK's class serialises as `{_message,_errorType,_stackTrace}` and exposes
 * `message`/`errorType`/`stackTrace`; all spellings are read. It has no innerFailure or
 * isNonRetriable; dtcheck writes them when present so its own round trip stays lossless.
 */
import type { HistoryCodec } from "./codec.js";
import { eventFields, readEvents } from "./event-fields.js";
import { type FieldReader, isJsonObject, type JsonObject } from "./fields.js";
import { DTFX_STATUS_NAMES, PROTO_STATUS_NAMES, readStatus } from "./status.js";
import type { EntityEventKind, FailureDetails, History, HistoryEvent, HistoryEventKind } from "../model.js";

/** HistoryEventType enum values (PascalCase) to canonical kinds (camelCase). */
const KIND_BY_TYPE = new Map<string, HistoryEventKind>();
for (const kind of [
  "executionStarted",
  "executionCompleted",
  "executionTerminated",
  "executionSuspended",
  "executionResumed",
  "executionRewound",
  "taskScheduled",
  "taskCompleted",
  "taskFailed",
  "subOrchestrationInstanceCreated",
  "subOrchestrationInstanceCompleted",
  "subOrchestrationInstanceFailed",
  "timerCreated",
  "timerFired",
  "orchestratorStarted",
  "orchestratorCompleted",
  "eventSent",
  "eventRaised",
  "genericEvent",
  "historyState",
  "continueAsNew",
  "entityOperationSignaled",
  "entityOperationCalled",
  "entityOperationCompleted",
  "entityOperationFailed",
  "entityLockRequested",
  "entityLockGranted",
  "entityUnlockSent",
] as const satisfies readonly HistoryEventKind[]) {
  KIND_BY_TYPE.set(kind[0]!.toUpperCase() + kind.slice(1), kind);
}
const TYPE_LIST = [...KIND_BY_TYPE.keys()].join(", ");

function typeName(kind: HistoryEventKind): string {
  return kind[0]!.toUpperCase() + kind.slice(1);
}

function eventsOf(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (isJsonObject(value) && Array.isArray(value.events)) return value.events;
  return undefined;
}

function detect(value: unknown): boolean {
  const first = eventsOf(value)?.[0];
  return isJsonObject(first) && typeof first.type === "string" && "eventId" in first;
}

function readFailure(r: FieldReader, obj: JsonObject | undefined): FailureDetails {
  if (obj === undefined) return { errorType: "", errorMessage: "" };
  const inner = r.optObj(obj, "innerFailure");
  return {
    errorType: r.optStr(obj, "errorType") ?? r.strOrEmpty(obj, "_errorType"),
    errorMessage: r.optStr(obj, "message") ?? r.optStr(obj, "errorMessage") ?? r.strOrEmpty(obj, "_message"),
    stackTrace: r.optStr(obj, "stackTrace") ?? r.optStr(obj, "_stackTrace"),
    innerFailure: inner && readFailure(r, inner),
    isNonRetriable: r.optBool(obj, "isNonRetriable"),
  };
}

/** Entity events keep their own fields; Date values become ISO strings so the payload is plain JSON. */
function entityPayload(ev: JsonObject): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const key in ev) {
    if (key === "eventId" || key === "timestamp" || key === "type") continue;
    const value = ev[key];
    payload[key] = value instanceof Date ? value.toISOString() : value;
  }
  return payload;
}

function readEvent(r: FieldReader, raw: unknown): HistoryEvent {
  const ev = r.event(raw);
  const type = r.str(ev, "type");
  const kind = KIND_BY_TYPE.get(type);
  if (kind === undefined) r.fail(`unknown event type "${type}"; expected one of: ${TYPE_LIST}`);
  const eventId = r.int(ev, "eventId");
  const timestamp = r.optTime(ev, "timestamp");
  switch (kind) {
    case "orchestratorStarted":
    case "orchestratorCompleted":
    case "historyState":
      return { kind, eventId, timestamp };
    case "executionStarted": {
      const instance = r.optObj(ev, "orchestrationInstance");
      const parent = r.optObj(ev, "parentInstance");
      const parentInstance = parent && r.optObj(parent, "orchestrationInstance");
      return {
        kind,
        eventId,
        timestamp,
        name: r.str(ev, "name"),
        instanceId: instance && r.optStr(instance, "instanceId"),
        executionId: instance && r.optStr(instance, "executionId"),
        input: r.optStr(ev, "input"),
        version: r.optStr(ev, "version"),
        parentInstance: parent && {
          name: r.optStr(parent, "name"),
          instanceId: parentInstance ? r.strOrEmpty(parentInstance, "instanceId") : "",
          taskScheduledId: r.optInt(parent, "taskScheduledId"),
        },
        scheduledStartTimestamp: r.optTime(ev, "scheduledStartTimestamp"),
        tags: r.optTags(ev, "tags"),
      };
    }
    case "executionCompleted": {
      const raw = ev.orchestrationStatus;
      const status = readStatus(raw, PROTO_STATUS_NAMES) ?? readStatus(raw, DTFX_STATUS_NAMES);
      if (status === undefined) r.fail(`unknown orchestrationStatus ${JSON.stringify(raw)}; expected one of: ${PROTO_STATUS_NAMES.join(", ")}`);
      const failure = r.optObj(ev, "failureDetails");
      return { kind, eventId, timestamp, status, result: r.optStr(ev, "result"), failure: failure && readFailure(r, failure) };
    }
    case "executionTerminated":
      return { kind, eventId, timestamp, input: r.optStr(ev, "input"), recurse: r.optBool(ev, "recurse") };
    case "executionSuspended":
    case "executionResumed":
    case "continueAsNew":
      return { kind, eventId, timestamp, input: r.optStr(ev, "input") };
    case "executionRewound":
      return { kind, eventId, timestamp, reason: r.optStr(ev, "reason") };
    case "taskScheduled":
      return {
        kind,
        eventId,
        timestamp,
        name: r.str(ev, "name"),
        input: r.optStr(ev, "input"),
        version: r.optStr(ev, "version"),
        tags: r.optTags(ev, "tags"),
      };
    case "taskCompleted":
    case "subOrchestrationInstanceCompleted":
      return { kind, eventId, timestamp, taskScheduledId: r.int(ev, "taskScheduledId"), result: r.optStr(ev, "result") };
    case "taskFailed":
    case "subOrchestrationInstanceFailed":
      return {
        kind,
        eventId,
        timestamp,
        taskScheduledId: r.int(ev, "taskScheduledId"),
        failure: readFailure(r, r.optObj(ev, "failureDetails")),
      };
    case "subOrchestrationInstanceCreated":
      return {
        kind,
        eventId,
        timestamp,
        name: r.str(ev, "name"),
        instanceId: r.strOrEmpty(ev, "instanceId"),
        input: r.optStr(ev, "input"),
        version: r.optStr(ev, "version"),
      };
    case "timerCreated":
      return { kind, eventId, timestamp, fireAt: r.time(ev, "fireAt") };
    case "timerFired":
      return { kind, eventId, timestamp, timerId: r.int(ev, "timerId"), fireAt: r.time(ev, "fireAt") };
    case "eventSent":
      return { kind, eventId, timestamp, name: r.str(ev, "name"), instanceId: r.strOrEmpty(ev, "instanceId"), input: r.optStr(ev, "input") };
    case "eventRaised":
      return { kind, eventId, timestamp, name: r.str(ev, "name"), input: r.optStr(ev, "input") };
    case "genericEvent":
      return { kind, eventId, timestamp, data: r.optStr(ev, "data") };
    default:
      return { kind: kind as EntityEventKind, eventId, timestamp, payload: entityPayload(ev) };
  }
}

function parse(value: unknown, file?: string): History {
  return readEvents("friendly", eventsOf(value), file, `expected an array of history events with "type" fields`, readEvent);
}

function writeFailure(failure: FailureDetails): JsonObject {
  return {
    errorType: failure.errorType,
    message: failure.errorMessage,
    stackTrace: failure.stackTrace,
    innerFailure: failure.innerFailure && writeFailure(failure.innerFailure),
    isNonRetriable: failure.isNonRetriable,
  };
}

export function toFriendlyEvent(event: HistoryEvent): JsonObject {
  return { eventId: event.eventId, timestamp: event.timestamp, type: typeName(event.kind), ...eventFields(event, writeFailure) };
}

export const friendly: HistoryCodec = {
  format: "friendly",
  description: 'friendly: durabletask-js getOrchestrationHistory objects ({"eventId":1,"type":"TaskScheduled",...}), JSON array or JSONL',
  lossless: true,
  detect,
  parse,
  write: (history) => history.events.map(toFriendlyEvent),
};
