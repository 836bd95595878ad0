/**
 * The Durable Functions HTTP management API history:
 * `GET /runtime/webhooks/durabletask/instances/{id}?showHistory=true&showHistoryOutput=true`
 * returns `historyEvents` such as
 * `{"EventType":"TaskCompleted","FunctionName":"E1_SayHello","Result":"Hello Tokyo!","ScheduledTime":"...","Timestamp":"..."}`.
 *
 * The API drops a lot: EventId and IsPlayed, OrchestratorStarted/Completed, TaskScheduled and
 * SubOrchestrationInstanceCreated (folded into their completion as FunctionName + ScheduledTime),
 * TimerFired's TimerId; payloads are JSON values rather than JSON text; and tasks still running are
 * invisible. The parser rebuilds a replayable history: scheduling events from their completions,
 * order by time (ties keep the listing order), sequence numbers from 0 in scheduling order as
 * DTFx assigns them, episode boundaries where a new message follows the orchestrator's actions,
 * and timer ids by FireAt. Every rebuilt or re-numbered event gets an entry in
 * `History.reconstructions`, so a report can say which conclusions rest on a guess.
 */
import type { HistoryCodec } from "./codec.js";
import { FieldReader, isJsonObject, type JsonObject } from "./fields.js";
import { DTFX_STATUS_NAMES, readStatus, statusNumber } from "./status.js";
import type { FailureDetails, History, HistoryEvent, Reconstruction } from "../model.js";
import { InputError } from "../../errors.js";

const INCOMING = new Set([
  "ExecutionStarted",
  "TaskCompleted",
  "TaskFailed",
  "SubOrchestrationInstanceCompleted",
  "SubOrchestrationInstanceFailed",
  "TimerFired",
  "EventRaised",
  "ExecutionTerminated",
  "ExecutionSuspended",
  "ExecutionResumed",
  "GenericEvent",
  "HistoryState",
]);
const OUTGOING = new Set(["TimerCreated", "EventSent", "ExecutionCompleted", "ContinueAsNew"]);
/** Present in full histories; the API drops them, and dtcheck rebuilds them, so listed ones are skipped. */
const SKIPPED = new Set(["OrchestratorStarted", "OrchestratorCompleted"]);
const ACCEPTED = [...INCOMING, ...OUTGOING].join(", ");

function eventsOf(value: unknown): unknown[] | undefined {
  if (isJsonObject(value) && Array.isArray(value.historyEvents)) return value.historyEvents;
  if (Array.isArray(value)) return value;
  return undefined;
}

function detect(value: unknown): boolean {
  if (isJsonObject(value) && Array.isArray(value.historyEvents)) return true;
  const first = Array.isArray(value) ? (value[0] as unknown) : undefined;
  return isJsonObject(first) && typeof first.EventType === "string";
}

/** A JSON value from the API back to the JSON text the runtime stores. */
function toText(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : JSON.stringify(value);
}

/** JSON text from the model to the JSON value the API shows; text that is not JSON stays a string. */
function toValue(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Sortable time: milliseconds plus the sub-millisecond digits .NET writes (7 fractional digits). */
interface Time {
  ms: number;
  sub: number;
}
function timeOf(iso: string): Time {
  const dot = iso.indexOf(".", 17);
  let sub = 0;
  if (dot > 0) {
    let end = dot + 1;
    while (end < iso.length && iso.charCodeAt(end) >= 48 && iso.charCodeAt(end) <= 57) end++;
    const extra = iso.slice(dot + 4, end);
    if (extra.length > 0) sub = Number(extra.padEnd(6, "0").slice(0, 6));
  }
  return { ms: Date.parse(iso), sub };
}
function compareTime(a: Time, b: Time): number {
  return a.ms - b.ms || a.sub - b.sub;
}

function readFailure(r: FieldReader, ev: JsonObject): FailureDetails {
  const details = r.optObj(ev, "FailureDetails");
  if (details) {
    return {
      errorType: r.strOrEmpty(details, "ErrorType"),
      errorMessage: r.strOrEmpty(details, "ErrorMessage"),
      stackTrace: r.optStr(details, "StackTrace"),
      isNonRetriable: r.optBool(details, "IsNonRetriable"),
    };
  }
  return { errorType: "", errorMessage: r.strOrEmpty(ev, "Reason"), stackTrace: r.optStr(ev, "Details") };
}

/** One event of the rebuilt timeline, before ids and episodes are assigned. */
interface Item {
  event: HistoryEvent;
  time: Time;
  /** 0: a message to the orchestrator (starts or joins an episode); 1: an action it took. */
  rank: 0 | 1;
  /** Listing index, the tie-breaker; a rebuilt scheduling event takes its completion's. */
  seq: number;
  /** Gets the next sequence number as its eventId. */
  scheduling: boolean;
  /** For completions: the rebuilt scheduling item they refer to. */
  scheduledBy?: Item;
  note?: string;
}

function parse(value: unknown, file?: string): History {
  const listed = eventsOf(value);
  const r: FieldReader = new FieldReader("df-http", file);
  if (listed === undefined) r.fail(`expected a status response with "historyEvents" (showHistory=true) or an array of its events`);
  const items: Item[] = [];
  for (let i = 0; i < listed.length; i++) {
    r.index = i;
    const ev = r.event(listed[i]);
    const type = r.str(ev, "EventType");
    if (SKIPPED.has(type)) continue;
    if (!INCOMING.has(type) && !OUTGOING.has(type)) {
      r.fail(`unknown event type "${type}" for the Durable Functions HTTP API history; expected one of: ${ACCEPTED}`);
    }
    const timestamp = r.time(ev, "Timestamp");
    const item: Item = { event: undefined as unknown as HistoryEvent, time: timeOf(timestamp), rank: INCOMING.has(type) ? 0 : 1, seq: i, scheduling: false };
    const eventId = -1;
    switch (type) {
      case "ExecutionStarted":
        item.event = {
          kind: "executionStarted",
          eventId,
          timestamp,
          name: r.optStr(ev, "FunctionName") ?? r.str(ev, "Name"),
          input: toText(ev.Input),
          version: r.optStr(ev, "Version"),
        };
        break;
      case "TaskCompleted":
      case "TaskFailed":
      case "SubOrchestrationInstanceCompleted":
      case "SubOrchestrationInstanceFailed": {
        const name = r.str(ev, "FunctionName");
        const scheduledAt = r.time(ev, "ScheduledTime");
        const isTask = type.startsWith("Task");
        const scheduled: Item = {
          event: isTask
            ? { kind: "taskScheduled", eventId, timestamp: scheduledAt, name }
            : { kind: "subOrchestrationInstanceCreated", eventId, timestamp: scheduledAt, name, instanceId: r.strOrEmpty(ev, "InstanceId") },
          time: timeOf(scheduledAt),
          rank: 1,
          seq: i,
          scheduling: true,
          note: `${isTask ? "taskScheduled" : "subOrchestrationInstanceCreated"} "${name}" rebuilt from the ${type} at historyEvents[${i}] (FunctionName + ScheduledTime); its eventId is a reconstructed sequence number${isTask ? "" : " and its instanceId is unknown"}`,
        };
        items.push(scheduled);
        item.scheduledBy = scheduled;
        const failed = type.endsWith("Failed");
        const kind = isTask ? (failed ? "taskFailed" : "taskCompleted") : failed ? "subOrchestrationInstanceFailed" : "subOrchestrationInstanceCompleted";
        item.event = failed
          ? { kind: kind as "taskFailed", eventId, timestamp, taskScheduledId: -1, failure: readFailure(r, ev) }
          : { kind: kind as "taskCompleted", eventId, timestamp, taskScheduledId: -1, result: toText(ev.Result) };
        break;
      }
      case "TimerCreated":
        item.event = { kind: "timerCreated", eventId, timestamp, fireAt: r.time(ev, "FireAt") };
        item.scheduling = true;
        item.note = `timerCreated eventId is a reconstructed sequence number`;
        break;
      case "TimerFired":
        item.event = { kind: "timerFired", eventId, timestamp, timerId: -1, fireAt: r.time(ev, "FireAt") };
        break;
      case "EventSent":
        item.event = { kind: "eventSent", eventId, timestamp, name: r.str(ev, "Name"), instanceId: r.strOrEmpty(ev, "InstanceId"), input: toText(ev.Input) };
        item.scheduling = true;
        item.note = `eventSent eventId is a reconstructed sequence number`;
        break;
      case "EventRaised":
        item.event = { kind: "eventRaised", eventId, timestamp, name: r.str(ev, "Name"), input: toText(ev.Input) };
        break;
      case "ExecutionCompleted": {
        const raw = ev.OrchestrationStatus;
        const status = readStatus(raw, DTFX_STATUS_NAMES);
        if (status === undefined) r.fail(`unknown OrchestrationStatus ${JSON.stringify(raw)}; expected one of: ${DTFX_STATUS_NAMES.join(", ")}`);
        const failed = r.optObj(ev, "FailureDetails") !== undefined || ev.Reason !== undefined;
        item.event = { kind: "executionCompleted", eventId, timestamp, status, result: toText(ev.Result), failure: failed ? readFailure(r, ev) : undefined };
        break;
      }
      case "ContinueAsNew":
        item.event = { kind: "continueAsNew", eventId, timestamp, input: toText(ev.Result) };
        break;
      case "ExecutionTerminated":
        item.event = { kind: "executionTerminated", eventId, timestamp, input: toText(ev.Input) };
        break;
      case "ExecutionSuspended":
        item.event = { kind: "executionSuspended", eventId, timestamp, input: r.optStr(ev, "Reason") };
        break;
      case "ExecutionResumed":
        item.event = { kind: "executionResumed", eventId, timestamp, input: r.optStr(ev, "Reason") };
        break;
      case "GenericEvent":
        item.event = { kind: "genericEvent", eventId, timestamp, data: r.optStr(ev, "Data") };
        break;
      default:
        item.event = { kind: "historyState", eventId, timestamp };
    }
    items.push(item);
  }
  return rebuild(items, file);
}

/** Orders the items, assigns sequence numbers and timer ids, and inserts episode boundaries. */
function rebuild(items: Item[], file: string | undefined): History {
  items.sort((a, b) => compareTime(a.time, b.time) || a.rank - b.rank || a.seq - b.seq);
  const events: HistoryEvent[] = [];
  const reconstructions: Reconstruction[] = [];
  const note = (reason: string) => reconstructions.push({ eventIndex: events.length - 1, reason });
  let sequence = 0;
  let inEpisode = false;
  let lastAction: Item | undefined;
  const openTimers: HistoryEvent[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item.rank === 0 && (!inEpisode || lastAction !== undefined)) {
      if (inEpisode) {
        events.push({ kind: "orchestratorCompleted", eventId: -1, timestamp: lastAction!.event.timestamp });
        note(`orchestratorCompleted rebuilt: the HTTP API omits episode boundaries`);
      }
      events.push({ kind: "orchestratorStarted", eventId: -1, timestamp: item.event.timestamp });
      note(`orchestratorStarted rebuilt: the HTTP API omits episode boundaries, so which messages shared an episode is a guess and its timestamp (currentUtcDateTime) is the first message's time`);
      inEpisode = true;
      lastAction = undefined;
    }
    const event = item.event;
    if (item.scheduling) event.eventId = sequence++;
    if (item.scheduledBy && "taskScheduledId" in event) event.taskScheduledId = item.scheduledBy.event.eventId;
    events.push(event);
    if (item.note) note(item.note);
    const prev = items[i - 1];
    if (item.scheduling && prev?.scheduling && compareTime(prev.time, item.time) === 0) {
      note(`scheduled at the same time as the previous event; their order is a guess from the order of the listing`);
    }
    if (event.kind === "timerCreated") openTimers.push(event);
    if (event.kind === "timerFired") {
      const fireAt = timeOf(event.fireAt);
      const matches = openTimers.filter((t) => t.kind === "timerCreated" && compareTime(timeOf(t.fireAt), fireAt) === 0);
      const timer = matches[0];
      if (timer === undefined) {
        throw new InputError(
          `historyEvents[${item.seq}]: TimerFired with FireAt ${event.fireAt} matches no earlier TimerCreated; the history is incomplete, fetch it again with showHistory=true`,
          { file },
        );
      }
      openTimers.splice(openTimers.indexOf(timer), 1);
      event.timerId = timer.eventId;
      note(`timerFired timerId ${timer.eventId} reconstructed by matching FireAt${matches.length > 1 ? ` (${matches.length} timers share this FireAt; the earliest was chosen)` : ""}`);
    }
    if (item.rank === 1) lastAction = item;
  }
  if (inEpisode && lastAction !== undefined) {
    events.push({ kind: "orchestratorCompleted", eventId: -1, timestamp: lastAction.event.timestamp });
    note(`orchestratorCompleted rebuilt: the HTTP API omits episode boundaries`);
  }
  if (!events.some((e) => e.kind === "executionCompleted" || e.kind === "continueAsNew" || e.kind === "executionTerminated")) {
    reconstructions.push({
      eventIndex: Math.max(0, events.length - 1),
      reason: `the orchestration had not finished: tasks scheduled but not yet completed are not in the HTTP API history and are missing here`,
    });
  }
  return { events, source: { file, format: "df-http" }, reconstructions };
}

function write(history: History): JsonObject {
  const scheduled = new Map<number, HistoryEvent>();
  const historyEvents: JsonObject[] = [];
  let name: string | undefined;
  let instanceId: string | undefined;
  let runtimeStatus = "Running";
  history.events.forEach((event, i) => {
    const base = { EventType: event.kind[0]!.toUpperCase() + event.kind.slice(1), Timestamp: event.timestamp };
    switch (event.kind) {
      case "orchestratorStarted":
      case "orchestratorCompleted":
        return;
      case "taskScheduled":
      case "subOrchestrationInstanceCreated":
        scheduled.set(event.eventId, event);
        return;
      case "executionStarted":
        name = event.name;
        instanceId = event.instanceId;
        historyEvents.push({ ...base, FunctionName: event.name, Version: event.version, Input: toValue(event.input) });
        return;
      case "taskCompleted":
      case "taskFailed":
      case "subOrchestrationInstanceCompleted":
      case "subOrchestrationInstanceFailed": {
        const from = scheduled.get(event.taskScheduledId);
        if (from === undefined || !("name" in from)) {
          throw new InputError(`event ${i}: ${event.kind} refers to taskScheduledId ${event.taskScheduledId}, which no earlier event scheduled`, { file: history.source?.file });
        }
        const payload =
          event.kind === "taskFailed" || event.kind === "subOrchestrationInstanceFailed"
            ? {
                Reason: event.failure.errorMessage,
                Details: event.failure.stackTrace,
                FailureDetails: { ErrorType: event.failure.errorType, ErrorMessage: event.failure.errorMessage, StackTrace: event.failure.stackTrace },
              }
            : { Result: toValue(event.result) };
        historyEvents.push({ ...base, FunctionName: from.name, ScheduledTime: from.timestamp, ...payload });
        return;
      }
      case "timerCreated":
      case "timerFired":
        historyEvents.push({ ...base, FireAt: event.fireAt });
        return;
      case "eventSent":
        historyEvents.push({ ...base, Name: event.name, InstanceId: event.instanceId, Input: toValue(event.input) });
        return;
      case "eventRaised":
        historyEvents.push({ ...base, Name: event.name, Input: toValue(event.input) });
        return;
      case "executionCompleted":
        runtimeStatus = DTFX_STATUS_NAMES[statusNumber(event.status)]!;
        historyEvents.push({
          ...base,
          OrchestrationStatus: runtimeStatus,
          Result: toValue(event.result),
          FailureDetails: event.failure && { ErrorType: event.failure.errorType, ErrorMessage: event.failure.errorMessage, StackTrace: event.failure.stackTrace },
        });
        return;
      case "continueAsNew":
        historyEvents.push({ ...base, Result: toValue(event.input) });
        return;
      case "executionTerminated":
        historyEvents.push({ ...base, Input: toValue(event.input) });
        return;
      case "executionSuspended":
      case "executionResumed":
        historyEvents.push({ ...base, Reason: event.input });
        return;
      case "genericEvent":
        historyEvents.push({ ...base, Data: event.data });
        return;
      case "historyState":
        historyEvents.push(base);
        return;
      default:
        throw new InputError(
          `event ${i}: the Durable Functions HTTP API history has no ${event.kind} event; write this history as protobuf-json or friendly instead`,
          { file: history.source?.file },
        );
    }
  });
  return { name, instanceId, runtimeStatus, historyEvents };
}

export const dfHttp: HistoryCodec = {
  format: "df-http",
  description: 'df-http: Durable Functions HTTP API status with showHistory=true ({"historyEvents":[{"EventType":"TaskCompleted","FunctionName":...}]}); lossy, rebuilt on read',
  lossless: false,
  detect,
  parse,
  write,
};
