/**
 * Protobuf `HistoryEvent` in proto3 JSON (orchestrator_service.proto of durabletask-protobuf):
 * `{"eventId":1,"timestamp":"...Z","taskScheduled":{"name":"sayHello","input":"\"Tokyo\""}}`.
 * Mapping rules applied: StringValue wrappers are plain strings, Timestamps RFC 3339 strings,
 * enums names (numbers accepted), int32 numbers (decimal strings accepted), default values
 * (0, "", false) may be omitted. Accepts an array, `{ "events": [...] }`, or an OrchestratorRequest
 * `{ "pastEvents": [...], "newEvents": [...] }`.
 */
import type { HistoryCodec } from "./codec.js";
import { eventFields, readEvents } from "./event-fields.js";
import { type FieldReader, isJsonObject, type JsonObject } from "./fields.js";
import { PROTO_STATUS_NAMES, readStatus } from "./status.js";
import type { EntityEventKind, FailureDetails, History, HistoryEvent, HistoryEventKind } from "../model.js";

const ENTITY_KINDS: ReadonlySet<string> = new Set<EntityEventKind>([
  "entityOperationSignaled",
  "entityOperationCalled",
  "entityOperationCompleted",
  "entityOperationFailed",
  "entityLockRequested",
  "entityLockGranted",
  "entityUnlockSent",
]);

/** The oneof field names of HistoryEvent, which are also the canonical kinds. */
export const PROTO_EVENT_KINDS: ReadonlySet<string> = new Set<HistoryEventKind>([
  "executionStarted",
  "executionCompleted",
  "executionTerminated",
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
  "executionSuspended",
  "executionResumed",
  "executionRewound",
  ...(ENTITY_KINDS as ReadonlySet<HistoryEventKind>),
]);

const KIND_LIST = [...PROTO_EVENT_KINDS].join(", ");

function eventsOf(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (!isJsonObject(value)) return undefined;
  if (Array.isArray(value.events)) return value.events;
  if (Array.isArray(value.pastEvents) || Array.isArray(value.newEvents)) {
    return [...((value.pastEvents as unknown[]) ?? []), ...((value.newEvents as unknown[]) ?? [])];
  }
  return undefined;
}

function detect(value: unknown): boolean {
  const events = eventsOf(value);
  const first = events?.[0];
  if (!isJsonObject(first)) return false;
  for (const key in first) {
    if (PROTO_EVENT_KINDS.has(key) && isJsonObject(first[key])) return true;
  }
  return false;
}

function readFailure(r: FieldReader, obj: JsonObject | undefined, key: string): FailureDetails {
  if (obj === undefined) r.fail(`"${key}" is missing; a failed task needs failureDetails with errorType and errorMessage`);
  const inner = r.optObj(obj, "innerFailure");
  return {
    errorType: r.strOrEmpty(obj, "errorType"),
    errorMessage: r.strOrEmpty(obj, "errorMessage"),
    stackTrace: r.optStr(obj, "stackTrace"),
    innerFailure: inner === undefined ? undefined : readFailure(r, inner, "innerFailure"),
    isNonRetriable: r.optBool(obj, "isNonRetriable"),
  };
}

function readEvent(r: FieldReader, raw: unknown): HistoryEvent {
  const ev = r.event(raw);
  let kind: string | undefined;
  for (const key in ev) {
    if (key === "eventId" || key === "timestamp") continue;
    if (kind !== undefined) r.fail(`has two event types, "${kind}" and "${key}"; a HistoryEvent holds exactly one`);
    kind = key;
  }
  if (kind === undefined) r.fail(`has no event type field; expected one of: ${KIND_LIST}`);
  if (!PROTO_EVENT_KINDS.has(kind)) r.fail(`unknown event type "${kind}"; expected one of: ${KIND_LIST}`);
  const eventId = r.intOr(ev, "eventId", 0);
  const timestamp = r.optTime(ev, "timestamp");
  const body = r.obj(ev, kind);
  switch (kind) {
    case "orchestratorStarted":
    case "orchestratorCompleted":
    case "historyState":
      return { kind, eventId, timestamp };
    case "executionStarted": {
      const instance = r.optObj(body, "orchestrationInstance");
      const parent = r.optObj(body, "parentInstance");
      const parentInstance = parent && r.optObj(parent, "orchestrationInstance");
      return {
        kind,
        eventId,
        timestamp,
        name: r.strOrEmpty(body, "name"),
        instanceId: instance && r.optStr(instance, "instanceId"),
        executionId: instance && r.optStr(instance, "executionId"),
        input: r.optStr(body, "input"),
        version: r.optStr(body, "version"),
        parentInstance: parent && {
          name: r.optStr(parent, "name"),
          instanceId: parentInstance ? r.strOrEmpty(parentInstance, "instanceId") : "",
          taskScheduledId: r.optInt(parent, "taskScheduledId"),
        },
        scheduledStartTimestamp: r.optTime(body, "scheduledStartTimestamp"),
        tags: r.optTags(body, "tags"),
      };
    }
    case "executionCompleted": {
      const raw = body.orchestrationStatus ?? 0;
      const status = readStatus(raw, PROTO_STATUS_NAMES);
      if (status === undefined) r.fail(`unknown orchestrationStatus ${JSON.stringify(raw)}; expected one of: ${PROTO_STATUS_NAMES.join(", ")}`);
      const failure = r.optObj(body, "failureDetails");
      return {
        kind,
        eventId,
        timestamp,
        status,
        result: r.optStr(body, "result"),
        failure: failure && readFailure(r, failure, "failureDetails"),
      };
    }
    case "executionTerminated":
      return { kind, eventId, timestamp, input: r.optStr(body, "input"), recurse: r.optBool(body, "recurse") };
    case "executionSuspended":
    case "executionResumed":
    case "continueAsNew":
      return { kind, eventId, timestamp, input: r.optStr(body, "input") };
    case "taskScheduled":
      return {
        kind,
        eventId,
        timestamp,
        name: r.strOrEmpty(body, "name"),
        input: r.optStr(body, "input"),
        version: r.optStr(body, "version"),
        tags: r.optTags(body, "tags"),
      };
    case "taskCompleted":
    case "subOrchestrationInstanceCompleted":
      return { kind, eventId, timestamp, taskScheduledId: r.intOr(body, "taskScheduledId", 0), result: r.optStr(body, "result") };
    case "taskFailed":
    case "subOrchestrationInstanceFailed":
      return {
        kind,
        eventId,
        timestamp,
        taskScheduledId: r.intOr(body, "taskScheduledId", 0),
        failure: readFailure(r, r.optObj(body, "failureDetails"), "failureDetails"),
      };
    case "subOrchestrationInstanceCreated":
      return {
        kind,
        eventId,
        timestamp,
        name: r.strOrEmpty(body, "name"),
        instanceId: r.strOrEmpty(body, "instanceId"),
        input: r.optStr(body, "input"),
        version: r.optStr(body, "version"),
      };
    case "timerCreated":
      return { kind, eventId, timestamp, fireAt: r.time(body, "fireAt") };
    case "timerFired":
      return { kind, eventId, timestamp, timerId: r.intOr(body, "timerId", 0), fireAt: r.time(body, "fireAt") };
    case "eventSent":
      return {
        kind,
        eventId,
        timestamp,
        instanceId: r.strOrEmpty(body, "instanceId"),
        name: r.strOrEmpty(body, "name"),
        input: r.optStr(body, "input"),
      };
    case "eventRaised":
      return { kind, eventId, timestamp, name: r.strOrEmpty(body, "name"), input: r.optStr(body, "input") };
    case "genericEvent":
      return { kind, eventId, timestamp, data: r.optStr(body, "data") };
    case "executionRewound":
      return { kind, eventId, timestamp, reason: r.optStr(body, "reason") };
    default:
      // The remaining kinds are the entity events, carried through unchanged.
      return { kind: kind as EntityEventKind, eventId, timestamp, payload: body };
  }
}

function parse(value: unknown, file?: string): History {
  return readEvents("protobuf-json", eventsOf(value), file, `expected an array of HistoryEvent objects or { "events": [...] }`, readEvent);
}

function writeFailure(failure: FailureDetails): JsonObject {
  return {
    errorType: failure.errorType,
    errorMessage: failure.errorMessage,
    stackTrace: failure.stackTrace,
    innerFailure: failure.innerFailure && writeFailure(failure.innerFailure),
    isNonRetriable: failure.isNonRetriable,
  };
}

/** One canonical event as a proto3-JSON HistoryEvent object (undefined fields vanish in JSON). */
export function toProtobufJsonEvent(event: HistoryEvent): JsonObject {
  return { eventId: event.eventId, timestamp: event.timestamp, [event.kind]: eventFields(event, writeFailure) };
}

export const protobufJson: HistoryCodec = {
  format: "protobuf-json",
  description: 'protobuf-json: proto3 JSON HistoryEvent objects ({"eventId":1,"taskScheduled":{...}}), as an array or {"events":[...]}',
  lossless: true,
  detect,
  parse,
  write: (history) => history.events.map(toProtobufJsonEvent),
};
