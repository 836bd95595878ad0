/**
 * The Durable Functions host wire format: what the Functions host hands the JS SDK (DTFx history
 * events serialised by Newtonsoft): PascalCase fields and a numeric `EventType`, as in
 * durable-functions/lib/src/history/*.js: `{"EventType":4,"EventId":0,"IsPlayed":true,"Timestamp":"...","Name":"Hello","Input":"\"Tokyo\""}`.
 *
 * `IsPlayed` is not kept in the model: the writer recomputes it as the host does (true for every
 * event before the last OrchestratorStarted). Failures carry both DTFx's Reason/Details and
 * FailureDetails; the reader prefers FailureDetails, as the SDK's executor does.
 */
import type { HistoryCodec } from "./codec.js";
import { FieldReader, isJsonObject, type JsonObject } from "./fields.js";
import { DTFX_STATUS_NAMES, readStatus, statusNumber } from "./status.js";
import type { FailureDetails, History, HistoryEvent, HistoryEventKind } from "../model.js";
import { InputError } from "../../errors.js";

/** durable-functions HistoryEventType (DTFx EventType), by number. */
export const DF_EVENT_TYPES: readonly string[] = [
  "ExecutionStarted",
  "ExecutionCompleted",
  "ExecutionFailed",
  "ExecutionTerminated",
  "TaskScheduled",
  "TaskCompleted",
  "TaskFailed",
  "SubOrchestrationInstanceCreated",
  "SubOrchestrationInstanceCompleted",
  "SubOrchestrationInstanceFailed",
  "TimerCreated",
  "TimerFired",
  "OrchestratorStarted",
  "OrchestratorCompleted",
  "EventSent",
  "EventRaised",
  "ContinueAsNew",
  "GenericEvent",
  "HistoryState",
  "ExecutionSuspended",
  "ExecutionResumed",
  // DTFx's EventType has it; durable-functions' own enum stops at ExecutionResumed.
  "ExecutionRewound",
];
const TYPE_LIST = DF_EVENT_TYPES.map((name, n) => `${n} ${name}`).join(", ");

/** Canonical kind to DF EventType number; kinds absent here cannot be written in this format. */
const NUMBER_BY_KIND = new Map<HistoryEventKind, number>();
DF_EVENT_TYPES.forEach((name, n) => {
  if (name !== "ExecutionFailed") NUMBER_BY_KIND.set((name[0]!.toLowerCase() + name.slice(1)) as HistoryEventKind, n);
});

function eventsOf(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (isJsonObject(value) && Array.isArray(value.history)) return value.history;
  return undefined;
}

/** Numeric EventType as the host sends it, or names with EventIds (DTFx JSON written with a string-enum converter). */
function detect(value: unknown): boolean {
  const first = eventsOf(value)?.[0];
  if (!isJsonObject(first)) return false;
  return typeof first.EventType === "number" || (typeof first.EventType === "string" && typeof first.EventId === "number");
}

function readFailureDetails(r: FieldReader, obj: JsonObject): FailureDetails {
  const inner = r.optObj(obj, "InnerFailure");
  return {
    errorType: r.strOrEmpty(obj, "ErrorType"),
    errorMessage: r.strOrEmpty(obj, "ErrorMessage"),
    stackTrace: r.optStr(obj, "StackTrace"),
    innerFailure: inner && readFailureDetails(r, inner),
    isNonRetriable: r.optBool(obj, "IsNonRetriable"),
  };
}

/** FailureDetails when present; otherwise DTFx's older Reason (message) and Details (stack). */
function readFailure(r: FieldReader, ev: JsonObject): FailureDetails {
  const details = r.optObj(ev, "FailureDetails");
  if (details) return readFailureDetails(r, details);
  return { errorType: "", errorMessage: r.strOrEmpty(ev, "Reason"), stackTrace: r.optStr(ev, "Details") };
}

function readEvent(r: FieldReader, raw: unknown): HistoryEvent {
  const ev = r.event(raw);
  const given = ev.EventType;
  const type = typeof given === "string" ? DF_EVENT_TYPES.indexOf(given) : given;
  if (typeof type !== "number" || DF_EVENT_TYPES[type] === undefined) {
    r.fail(`unknown EventType ${JSON.stringify(given)}; expected a number or name: ${TYPE_LIST}`);
  }
  const eventId = r.int(ev, "EventId");
  const timestamp = r.optTime(ev, "Timestamp");
  switch (type) {
    case 0: {
      const instance = r.optObj(ev, "OrchestrationInstance");
      const parent = r.optObj(ev, "ParentInstance");
      const parentInstance = parent && r.optObj(parent, "OrchestrationInstance");
      return {
        kind: "executionStarted",
        eventId,
        timestamp,
        name: r.str(ev, "Name"),
        instanceId: instance && r.optStr(instance, "InstanceId"),
        executionId: instance && r.optStr(instance, "ExecutionId"),
        input: r.optStr(ev, "Input"),
        version: r.optStr(ev, "Version"),
        parentInstance: parent && {
          name: r.optStr(parent, "Name"),
          instanceId: parentInstance ? r.strOrEmpty(parentInstance, "InstanceId") : "",
          // DTFx's ParentInstance spells it TaskScheduleId.
          taskScheduledId: r.optInt(parent, "TaskScheduleId") ?? r.optInt(parent, "TaskScheduledId"),
        },
        scheduledStartTimestamp: r.optTime(ev, "ScheduledStartTime"),
        tags: r.optTags(ev, "Tags"),
      };
    }
    case 1:
    case 2: {
      const raw = ev.OrchestrationStatus ?? (type === 2 ? 3 : undefined);
      const status = readStatus(raw, DTFX_STATUS_NAMES);
      if (status === undefined) r.fail(`unknown OrchestrationStatus ${JSON.stringify(raw)}; expected a number 0-7 or one of: ${DTFX_STATUS_NAMES.join(", ")}`);
      const details = r.optObj(ev, "FailureDetails");
      return {
        kind: "executionCompleted",
        eventId,
        timestamp,
        status,
        result: r.optStr(ev, "Result"),
        failure: details && readFailureDetails(r, details),
      };
    }
    case 3:
      return { kind: "executionTerminated", eventId, timestamp, input: r.optStr(ev, "Input"), recurse: r.optBool(ev, "Recurse") };
    case 4:
      return {
        kind: "taskScheduled",
        eventId,
        timestamp,
        name: r.str(ev, "Name"),
        input: r.optStr(ev, "Input"),
        version: r.optStr(ev, "Version"),
        tags: r.optTags(ev, "Tags"),
      };
    case 5:
      return { kind: "taskCompleted", eventId, timestamp, taskScheduledId: r.int(ev, "TaskScheduledId"), result: r.optStr(ev, "Result") };
    case 6:
      return { kind: "taskFailed", eventId, timestamp, taskScheduledId: r.int(ev, "TaskScheduledId"), failure: readFailure(r, ev) };
    case 7:
      return {
        kind: "subOrchestrationInstanceCreated",
        eventId,
        timestamp,
        name: r.str(ev, "Name"),
        instanceId: r.strOrEmpty(ev, "InstanceId"),
        input: r.optStr(ev, "Input"),
        version: r.optStr(ev, "Version"),
      };
    case 8:
      return {
        kind: "subOrchestrationInstanceCompleted",
        eventId,
        timestamp,
        taskScheduledId: r.int(ev, "TaskScheduledId"),
        result: r.optStr(ev, "Result"),
      };
    case 9:
      return {
        kind: "subOrchestrationInstanceFailed",
        eventId,
        timestamp,
        taskScheduledId: r.int(ev, "TaskScheduledId"),
        failure: readFailure(r, ev),
      };
    case 10:
      return { kind: "timerCreated", eventId, timestamp, fireAt: r.time(ev, "FireAt") };
    case 11:
      return { kind: "timerFired", eventId, timestamp, timerId: r.int(ev, "TimerId"), fireAt: r.time(ev, "FireAt") };
    case 12:
      return { kind: "orchestratorStarted", eventId, timestamp };
    case 13:
      return { kind: "orchestratorCompleted", eventId, timestamp };
    case 14:
      return { kind: "eventSent", eventId, timestamp, instanceId: r.strOrEmpty(ev, "InstanceId"), name: r.str(ev, "Name"), input: r.optStr(ev, "Input") };
    case 15:
      return { kind: "eventRaised", eventId, timestamp, name: r.str(ev, "Name"), input: r.optStr(ev, "Input") };
    case 16:
      // DTFx's ContinueAsNewEvent is an ExecutionCompletedEvent whose Result is the new input.
      return { kind: "continueAsNew", eventId, timestamp, input: r.optStr(ev, "Result") };
    case 17:
      return { kind: "genericEvent", eventId, timestamp, data: r.optStr(ev, "Data") };
    case 18:
      return { kind: "historyState", eventId, timestamp };
    case 19:
      return { kind: "executionSuspended", eventId, timestamp, input: r.optStr(ev, "Reason") };
    case 20:
      return { kind: "executionResumed", eventId, timestamp, input: r.optStr(ev, "Reason") };
    default:
      return { kind: "executionRewound", eventId, timestamp, reason: r.optStr(ev, "Reason") };
  }
}

function parse(value: unknown, file?: string): History {
  const events = eventsOf(value);
  const r: FieldReader = new FieldReader("df-wire", file);
  if (events === undefined) r.fail(`expected an array of Durable Functions history events with numeric "EventType"`);
  const out: HistoryEvent[] = new Array(events.length);
  for (let i = 0; i < events.length; i++) {
    r.index = i;
    out[i] = readEvent(r, events[i]);
  }
  // The orchestration trigger binding ({"history":[...],"input":...}) carries the input the host
  // deserialised; that, not ExecutionStarted.Input, is what durable-functions' getInput() returns.
  if (isJsonObject(value) && "input" in value && value.input !== undefined) {
    const started = out.find((event) => event.kind === "executionStarted");
    if (started?.kind === "executionStarted") started.input = JSON.stringify(value.input);
  }
  return { events: out, source: { file, format: "df-wire" } };
}

function writeFailureDetails(failure: FailureDetails): JsonObject {
  return {
    ErrorType: failure.errorType,
    ErrorMessage: failure.errorMessage,
    StackTrace: failure.stackTrace,
    InnerFailure: failure.innerFailure && writeFailureDetails(failure.innerFailure),
    IsNonRetriable: failure.isNonRetriable,
  };
}

function writeFields(event: HistoryEvent): JsonObject {
  switch (event.kind) {
    case "executionStarted": {
      const hasInstance = event.instanceId !== undefined || event.executionId !== undefined;
      const parent = event.parentInstance;
      return {
        OrchestrationInstance: hasInstance ? { InstanceId: event.instanceId ?? "", ExecutionId: event.executionId } : undefined,
        ParentInstance: parent && {
          Name: parent.name,
          TaskScheduleId: parent.taskScheduledId,
          OrchestrationInstance: { InstanceId: parent.instanceId },
        },
        Name: event.name,
        Version: event.version,
        Input: event.input,
        Tags: event.tags,
        ScheduledStartTime: event.scheduledStartTimestamp,
      };
    }
    case "executionCompleted":
      return {
        OrchestrationStatus: statusNumber(event.status),
        Result: event.result,
        FailureDetails: event.failure && writeFailureDetails(event.failure),
      };
    case "executionTerminated":
      return { Input: event.input, Recurse: event.recurse };
    case "taskScheduled":
      return { Name: event.name, Version: event.version, Input: event.input, Tags: event.tags };
    case "taskCompleted":
    case "subOrchestrationInstanceCompleted":
      return { TaskScheduledId: event.taskScheduledId, Result: event.result };
    case "taskFailed":
    case "subOrchestrationInstanceFailed":
      return {
        TaskScheduledId: event.taskScheduledId,
        Reason: event.failure.errorMessage,
        Details: event.failure.stackTrace,
        FailureDetails: writeFailureDetails(event.failure),
      };
    case "subOrchestrationInstanceCreated":
      return { Name: event.name, Version: event.version, InstanceId: event.instanceId, Input: event.input };
    case "timerCreated":
      return { FireAt: event.fireAt };
    case "timerFired":
      return { TimerId: event.timerId, FireAt: event.fireAt };
    case "eventSent":
      return { InstanceId: event.instanceId, Name: event.name, Input: event.input };
    case "eventRaised":
      return { Name: event.name, Input: event.input };
    case "continueAsNew":
      return { OrchestrationStatus: statusNumber("continuedAsNew"), Result: event.input };
    case "genericEvent":
      return { Data: event.data };
    case "executionSuspended":
    case "executionResumed":
      return { Reason: event.input };
    case "executionRewound":
      return { Reason: event.reason };
    default:
      return {};
  }
}

function write(history: History): JsonObject[] {
  const events = history.events;
  let lastStart = -1;
  for (let i = 0; i < events.length; i++) if (events[i]!.kind === "orchestratorStarted") lastStart = i;
  return events.map((event, i) => {
    const type = NUMBER_BY_KIND.get(event.kind);
    if (type === undefined) {
      throw new InputError(
        `event ${i}: the Durable Functions wire format has no ${event.kind} event (entities travel as EventSent/EventRaised there); write this history as protobuf-json or friendly instead`,
        { file: history.source?.file },
      );
    }
    return { EventType: type, EventId: event.eventId, IsPlayed: i < lastStart, Timestamp: event.timestamp, ...writeFields(event) };
  });
}

export const dfWire: HistoryCodec = {
  format: "df-wire",
  description: 'df-wire: Durable Functions host history ({"EventType":4,"EventId":0,"Name":...}, numeric EventType)',
  lossless: true,
  detect,
  parse,
  write,
};
