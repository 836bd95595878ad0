/**
 * The Durable Functions HTTP management API history:
 * `GET /runtime/webhooks/durabletask/instances/{id}?showHistory=true&showHistoryOutput=true`
 * returns a status object whose `historyEvents` look like
 * `{"EventType":"TaskCompleted","FunctionName":"E1_SayHello","Result":"Hello Tokyo!","ScheduledTime":"...","Timestamp":"..."}`.
 *
 * What the extension does to the stored history (DurableClient.GetDurableOrchestrationStatusAsync
 * in azure-functions-durable-extension), and so what is lost:
 * - EventType becomes its name; EventId and IsPlayed are removed; OrchestratorStarted/Completed are dropped;
 * - a TaskScheduled / SubOrchestrationInstanceCreated that has a completion is dropped and its Name
 *   and Timestamp are copied into the completion as FunctionName and ScheduledTime (TaskScheduledId
 *   removed); one still pending stays, without Input and Version;
 * - ExecutionStarted: Name becomes FunctionName; Input, Version, Tags, instance ids removed
 *   (the status object's own `input` and `instanceId` hold them);
 * - EventRaised and ExecutionTerminated lose Input; TimerFired loses TimerId;
 * - Result of completions and ExecutionCompleted is parsed into a JSON value; OrchestrationStatus becomes its name.
 *
 * The parser rebuilds a replayable history. The listing keeps the true order of the events it
 * shows, so they stay in order; each dropped scheduling event is put back just before the first
 * listed event that is later than its ScheduledTime (a message created after an action was
 * processed after it, and actions are in time order), or next to a listed action of the same instant. Then sequence numbers are assigned from 0 in
 * scheduling order (as DTFx does), timer ids by FireAt, and episode boundaries where a message
 * follows the orchestrator's actions. Every rebuilt, re-numbered or incomplete event gets an entry
 * in `History.reconstructions`, so a report can say which conclusions rest on a guess.
 */
import type { HistoryCodec } from "./codec.js";
import { FieldReader, isJsonObject, type JsonObject } from "./fields.js";
import { DTFX_STATUS_NAMES, readStatus, statusNumber } from "./status.js";
import type { FailureDetails, History, HistoryEvent, Reconstruction } from "../model.js";
import { InputError } from "../../errors.js";

/** Messages to the orchestrator: an episode starts with them. */
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
/** The orchestrator's actions. */
const OUTGOING = new Set(["TaskScheduled", "SubOrchestrationInstanceCreated", "TimerCreated", "EventSent", "ExecutionCompleted", "ContinueAsNew"]);
/** Dropped by the extension; if a hand-made file has them, dtcheck rebuilds them anyway. */
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

/** A value the extension parsed from JSON text (ParseToJToken) back to JSON text. */
function toText(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : JSON.stringify(value);
}

/** JSON text from the model to the value the API shows; text that is not JSON stays a string, as the extension does. */
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
function key(t: Time): string {
  return `${t.ms}.${t.sub}`;
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
  incoming: boolean;
  /** Gets the next sequence number as its eventId. */
  scheduling: boolean;
  /** Index in historyEvents (for a rebuilt scheduling event: of its completion). */
  listed: number;
  /** For completions: the rebuilt scheduling item they refer to. */
  scheduledBy?: Item;
  /** A scheduling event the API dropped and the parser put back. */
  rebuilt?: boolean;
  notes: string[];
}

function parse(value: unknown, file?: string): History {
  const listed = eventsOf(value);
  const r: FieldReader = new FieldReader("df-http", file);
  if (listed === undefined) r.fail(`expected a status response with "historyEvents" (showHistory=true) or an array of its events`);
  const status = isJsonObject(value) ? value : {};
  const items: Item[] = [];
  const rebuilt: Item[] = [];
  for (let i = 0; i < listed.length; i++) {
    r.index = i;
    const ev = r.event(listed[i]);
    const type = r.str(ev, "EventType");
    if (SKIPPED.has(type)) continue;
    if (!INCOMING.has(type) && !OUTGOING.has(type)) {
      r.fail(`unknown event type "${type}" for the Durable Functions HTTP API history; expected one of: ${ACCEPTED}`);
    }
    const timestamp = r.time(ev, "Timestamp");
    const item: Item = { event: undefined as unknown as HistoryEvent, time: timeOf(timestamp), incoming: INCOMING.has(type), scheduling: false, listed: i, notes: [] };
    const eventId = -1;
    switch (type) {
      case "ExecutionStarted": {
        const input = "Input" in ev ? toText(ev.Input) : toText(status.input);
        const instanceId = typeof status.instanceId === "string" ? status.instanceId : undefined;
        item.event = { kind: "executionStarted", eventId, timestamp, name: r.optStr(ev, "FunctionName") ?? r.str(ev, "Name"), instanceId, input };
        if (!("Input" in ev) && "input" in status) item.notes.push(`executionStarted input taken from the status response's "input" (re-serialised JSON)`);
        if (!("Version" in ev)) item.notes.push(`the instance's version is not shown by the HTTP API; the replay sees an unversioned instance`);
        break;
      }
      case "TaskScheduled":
        item.event = { kind: "taskScheduled", eventId, timestamp, name: r.str(ev, "Name"), input: toText(ev.Input) };
        item.scheduling = true;
        item.notes.push(`taskScheduled still pending; its eventId is a reconstructed sequence number and its input is not shown by the HTTP API`);
        break;
      case "SubOrchestrationInstanceCreated":
        item.event = { kind: "subOrchestrationInstanceCreated", eventId, timestamp, name: r.str(ev, "Name"), instanceId: r.strOrEmpty(ev, "InstanceId"), input: toText(ev.Input) };
        item.scheduling = true;
        item.notes.push(`subOrchestrationInstanceCreated still pending; its eventId is a reconstructed sequence number and its input is not shown by the HTTP API`);
        break;
      case "TaskCompleted":
      case "TaskFailed":
      case "SubOrchestrationInstanceCompleted":
      case "SubOrchestrationInstanceFailed": {
        const name = r.str(ev, "FunctionName");
        const scheduledAt = r.time(ev, "ScheduledTime");
        const isTask = type.startsWith("Task");
        const kind = isTask ? "taskScheduled" : "subOrchestrationInstanceCreated";
        const scheduled: Item = {
          event: isTask
            ? { kind: "taskScheduled", eventId, timestamp: scheduledAt, name }
            : { kind: "subOrchestrationInstanceCreated", eventId, timestamp: scheduledAt, name, instanceId: "" },
          time: timeOf(scheduledAt),
          incoming: false,
          scheduling: true,
          rebuilt: true,
          listed: i,
          notes: [
            `${kind} "${name}" rebuilt from the ${type} at historyEvents[${i}] (FunctionName + ScheduledTime); its eventId and position are reconstructed, its input is unknown${isTask ? "" : ", and so is its instanceId"}`,
          ],
        };
        rebuilt.push(scheduled);
        item.scheduledBy = scheduled;
        if (type.endsWith("Failed")) {
          const failedKind = isTask ? "taskFailed" : "subOrchestrationInstanceFailed";
          item.event = { kind: failedKind, eventId, timestamp, taskScheduledId: -1, failure: readFailure(r, ev) };
        } else {
          const completedKind = isTask ? "taskCompleted" : "subOrchestrationInstanceCompleted";
          item.event = { kind: completedKind, eventId, timestamp, taskScheduledId: -1, result: toText(ev.Result) };
        }
        break;
      }
      case "TimerCreated":
        item.event = { kind: "timerCreated", eventId, timestamp, fireAt: r.time(ev, "FireAt") };
        item.scheduling = true;
        item.notes.push(`timerCreated eventId is a reconstructed sequence number`);
        break;
      case "TimerFired":
        item.event = { kind: "timerFired", eventId, timestamp, timerId: -1, fireAt: r.time(ev, "FireAt") };
        break;
      case "EventSent":
        // Not touched by the extension: Input is still the stored JSON text.
        item.event = { kind: "eventSent", eventId, timestamp, name: r.str(ev, "Name"), instanceId: r.strOrEmpty(ev, "InstanceId"), input: r.optStr(ev, "Input") };
        item.scheduling = true;
        item.notes.push(`eventSent eventId is a reconstructed sequence number`);
        break;
      case "EventRaised":
        item.event = { kind: "eventRaised", eventId, timestamp, name: r.str(ev, "Name"), input: toText(ev.Input) };
        if (!("Input" in ev)) item.notes.push(`eventRaised "${item.event.name}" input is not shown by the HTTP API; the replay sees no payload`);
        break;
      case "ExecutionCompleted": {
        const raw = ev.OrchestrationStatus;
        const done = readStatus(raw, DTFX_STATUS_NAMES);
        if (done === undefined) r.fail(`unknown OrchestrationStatus ${JSON.stringify(raw)}; expected one of: ${DTFX_STATUS_NAMES.join(", ")}`);
        const failed = r.optObj(ev, "FailureDetails") !== undefined || ev.Reason !== undefined;
        item.event = { kind: "executionCompleted", eventId, timestamp, status: done, result: toText(ev.Result), failure: failed ? readFailure(r, ev) : undefined };
        break;
      }
      case "ContinueAsNew":
        item.event = { kind: "continueAsNew", eventId, timestamp, input: r.optStr(ev, "Result") };
        break;
      case "ExecutionTerminated":
        item.event = { kind: "executionTerminated", eventId, timestamp, input: r.optStr(ev, "Input") };
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
  return rebuild(items, rebuilt, file);
}

/**
 * Puts each rebuilt scheduling event back among the listed events (see the file comment). Rebuilt
 * events anchored at the same place keep ScheduledTime order, ties in the order their completions are listed.
 */
function placeRebuilt(items: Item[], rebuilt: Item[]): Item[] {
  // Latest time seen up to each listed position (non-decreasing, so it can be binary-searched),
  // and where the listed actions of each instant are.
  const latest: Time[] = new Array(items.length);
  const actionsAt = new Map<string, number[]>();
  const completionAt = new Map<Item, number>();
  items.forEach((item, position) => {
    const before = latest[position - 1];
    latest[position] = before && compareTime(before, item.time) > 0 ? before : item.time;
    if (item.scheduledBy) completionAt.set(item.scheduledBy, position);
    if (!item.incoming) {
      const list = actionsAt.get(key(item.time)) ?? [];
      list.push(position);
      actionsAt.set(key(item.time), list);
    }
  });
  const after = new Map<number, Item[]>();
  for (const scheduled of rebuilt) {
    // Everything listed from the first event later than the call (a message created after it, or
    // a later action) on comes after the call; everything before may come first.
    const completion = completionAt.get(scheduled)!;
    let low = 0;
    let high = completion;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (compareTime(latest[mid]!, scheduled.time) > 0) high = mid;
      else low = mid + 1;
    }
    const bound = low;
    // A listed action at the very same instant belongs to the same episode: join it, before it.
    const sameInstant = actionsAt.get(key(scheduled.time))?.[0];
    const anchor = sameInstant !== undefined && sameInstant < bound ? sameInstant - 1 : bound - 1;
    const list = after.get(anchor) ?? [];
    list.push(scheduled);
    after.set(anchor, list);
  }
  for (const list of after.values()) list.sort((a, b) => compareTime(a.time, b.time) || a.listed - b.listed);
  // Flag rebuilt calls that share their time with another action: their relative order is a guess.
  const actionTimes = new Map<string, number>();
  for (const item of [...items, ...rebuilt]) {
    if (!item.incoming) actionTimes.set(key(item.time), (actionTimes.get(key(item.time)) ?? 0) + 1);
  }
  for (const scheduled of rebuilt) {
    if (actionTimes.get(key(scheduled.time))! > 1) {
      scheduled.notes.push(`other actions share its ScheduledTime, so its order among them (and so its sequence number) is a guess: completions listed first are placed first`);
    }
  }
  const ordered: Item[] = [...(after.get(-1) ?? [])];
  items.forEach((item, position) => {
    ordered.push(item, ...(after.get(position) ?? []));
  });
  return ordered;
}

/** Orders the items, assigns sequence numbers and timer ids, and inserts episode boundaries. */
function rebuild(items: Item[], rebuilt: Item[], file: string | undefined): History {
  const ordered = placeRebuilt(items, rebuilt);
  const events: HistoryEvent[] = [];
  const reconstructions: Reconstruction[] = [];
  const note = (reason: string) => reconstructions.push({ eventIndex: events.length - 1, reason });
  let sequence = 0;
  let inEpisode = false;
  let lastAction: Item | undefined;
  /** Timers not yet fired, by FireAt, oldest first. */
  const openTimers = new Map<string, number[]>();
  for (const item of ordered) {
    if (item.incoming && (!inEpisode || lastAction !== undefined)) {
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
    for (const reason of item.notes) note(reason);
    if (event.kind === "timerCreated") {
      const at = key(timeOf(event.fireAt));
      openTimers.set(at, [...(openTimers.get(at) ?? []), event.eventId]);
    }
    if (event.kind === "timerFired") {
      const waiting = openTimers.get(key(timeOf(event.fireAt)));
      const timerId = waiting?.shift();
      if (timerId === undefined) {
        throw new InputError(
          `historyEvents[${item.listed}]: TimerFired with FireAt ${event.fireAt} matches no earlier TimerCreated; the history is incomplete, fetch it again with showHistory=true`,
          { file },
        );
      }
      event.timerId = timerId;
      note(`timerFired timerId ${timerId} reconstructed by matching FireAt${waiting!.length > 0 ? ` (${waiting!.length + 1} timers shared this FireAt; the earliest was chosen)` : ""}`);
    }
    if (!item.incoming) lastAction = item;
  }
  // The history holds processed episodes only, and each of those ended with OrchestratorCompleted.
  if (inEpisode) {
    events.push({ kind: "orchestratorCompleted", eventId: -1, timestamp: (lastAction ?? ordered.at(-1)!).event.timestamp });
    note(`orchestratorCompleted rebuilt: the HTTP API omits episode boundaries`);
  }
  return { events, source: { file, format: "df-http" }, reconstructions };
}

/** Writes what the extension would show for this history (showHistory=true&showHistoryOutput=true). */
function write(history: History): JsonObject {
  const completed = new Set<number>();
  for (const event of history.events) {
    if (event.kind === "taskCompleted" || event.kind === "taskFailed" || event.kind === "subOrchestrationInstanceCompleted" || event.kind === "subOrchestrationInstanceFailed") {
      completed.add(event.taskScheduledId);
    }
  }
  const scheduled = new Map<number, HistoryEvent>();
  const historyEvents: JsonObject[] = [];
  const status: JsonObject = { name: undefined, instanceId: undefined, runtimeStatus: "Running", input: null, output: null };
  const failure = (f: FailureDetails) => ({ ErrorType: f.errorType, ErrorMessage: f.errorMessage, StackTrace: f.stackTrace, IsNonRetriable: f.isNonRetriable });
  history.events.forEach((event, i) => {
    const base = { EventType: event.kind[0]!.toUpperCase() + event.kind.slice(1), Timestamp: event.timestamp };
    switch (event.kind) {
      case "orchestratorStarted":
      case "orchestratorCompleted":
        return;
      case "taskScheduled":
      case "subOrchestrationInstanceCreated":
        scheduled.set(event.eventId, event);
        if (!completed.has(event.eventId)) {
          historyEvents.push(event.kind === "taskScheduled" ? { ...base, Name: event.name } : { ...base, Name: event.name, InstanceId: event.instanceId });
        }
        return;
      case "executionStarted":
        status.name = event.name;
        status.instanceId = event.instanceId;
        status.input = toValue(event.input) ?? null;
        historyEvents.push({ ...base, FunctionName: event.name });
        return;
      case "taskCompleted":
      case "taskFailed":
      case "subOrchestrationInstanceCompleted":
      case "subOrchestrationInstanceFailed": {
        const from = scheduled.get(event.taskScheduledId);
        if (from === undefined || !("name" in from)) {
          throw new InputError(`event ${i}: ${event.kind} refers to taskScheduledId ${event.taskScheduledId}, which no earlier event scheduled`, { file: history.source?.file });
        }
        const outcome =
          event.kind === "taskFailed" || event.kind === "subOrchestrationInstanceFailed"
            ? { Reason: event.failure.errorMessage, Details: event.failure.stackTrace, FailureDetails: failure(event.failure) }
            : { Result: toValue(event.result) };
        historyEvents.push({ ...base, ...outcome, ScheduledTime: from.timestamp, FunctionName: from.name });
        return;
      }
      case "timerCreated":
      case "timerFired":
        historyEvents.push({ ...base, FireAt: event.fireAt });
        return;
      case "eventSent":
        historyEvents.push({ ...base, InstanceId: event.instanceId, Name: event.name, Input: event.input });
        return;
      case "eventRaised":
        historyEvents.push({ ...base, Name: event.name });
        return;
      case "executionCompleted":
        status.runtimeStatus = DTFX_STATUS_NAMES[statusNumber(event.status)]!;
        status.output = toValue(event.result) ?? null;
        historyEvents.push({
          ...base,
          OrchestrationStatus: status.runtimeStatus,
          Result: toValue(event.result),
          FailureDetails: event.failure && failure(event.failure),
        });
        return;
      case "continueAsNew":
        historyEvents.push({ ...base, Result: event.input });
        return;
      case "executionTerminated":
        status.runtimeStatus = "Terminated";
        historyEvents.push(base);
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
  return { ...status, historyEvents };
}

export const dfHttp: HistoryCodec = {
  format: "df-http",
  description: 'df-http: Durable Functions HTTP API status with showHistory=true ({"historyEvents":[{"EventType":"TaskCompleted","FunctionName":...}]}); lossy, rebuilt on read',
  lossless: false,
  detect,
  parse,
  write,
};
