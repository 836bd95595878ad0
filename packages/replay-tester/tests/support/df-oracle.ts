/**
 * The Durable Functions runtime's own verdict on a history in the host's wire format (df-wire: what
 * the Functions host hands the JS worker), independent of dtcheck's engine and converters:
 *
 * - the orchestrator runs under durable-functions' own `Orchestrator` listener, the handler
 *   `df.app.orchestration` registers with the Functions host (`createOrchestrator(handler)` wraps
 *   exactly this), fed work item by work item as the host feeds it: the events before the work item
 *   with IsPlayed true, the events it delivered with IsPlayed false; then once more after the end,
 *   with every event played and a fresh OrchestratorStarted;
 * - the sequence numbers are the ones durable-functions' TaskOrchestrationExecutor gives its tasks
 *   (the numbering it shares with the host: a completion's TaskScheduledId must find its task);
 * - the check is DTFx's, which the JS side leaves to the host ("Non-Deterministic workflow
 *   detected"): every scheduling event replayed (TaskScheduled, SubOrchestrationInstanceCreated,
 *   TimerCreated) must meet a task of the same kind and (case-insensitive) name at its EventId.
 *
 * Entity messages (EventSent of callEntity / signalEntity / locks) are not modelled: histories that
 * hold them are refused here rather than judged.
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const lib = (path: string): Record<string, unknown> => require(`durable-functions/lib/src/${path}`) as Record<string, unknown>;

// The package's own classes; none is typed for deep import, so each is given the shape used here.
type TaskLike = { id: number | string | false; actionObj?: { actionType?: number; functionName?: string }; parent?: unknown; children?: unknown[] };
const { Orchestrator } = lib("orchestrations/Orchestrator.js") as { Orchestrator: new (fn: unknown) => { handle(trigger: unknown, context: unknown): Promise<unknown> } };
const { TaskOrchestrationExecutor } = lib("orchestrations/TaskOrchestrationExecutor.js") as {
  TaskOrchestrationExecutor: { prototype: { trackOpenTask(task: TaskLike): void; processEvent(event: WireEvent): void } };
};
const { DurableOrchestrationInput, DummyOrchestrationContext } = lib("util/testingUtils.js") as {
  DurableOrchestrationInput: new (instanceId: string, history: unknown[], input: unknown, a?: undefined, b?: undefined, c?: undefined, schemaVersion?: number) => unknown;
  DummyOrchestrationContext: new (name: string, invocationId: string, log: () => void) => unknown;
};
const { ActionType } = lib("actions/ActionType.js") as { ActionType: Record<string, number> };
const { LatestReplaySchema } = lib("orchestrations/ReplaySchema.js") as { LatestReplaySchema: number };
const { HistoryEventType } = lib("history/HistoryEventType.js") as { HistoryEventType: Record<string, number> };
const { NoOpTask } = lib("task/NoOpTask.js") as { NoOpTask: new () => TaskLike };
const { RetryableTask } = lib("task/RetryableTask.js") as { RetryableTask: new () => TaskLike };

/** One event as the host sends it (PascalCase, numeric EventType). */
export interface WireEvent {
  EventType: number;
  EventId: number;
  IsPlayed?: boolean;
  Timestamp?: string | Date;
  Name?: string;
  Input?: string;
  FireAt?: string | Date;
  OrchestrationInstance?: { InstanceId?: string };
  [field: string]: unknown;
}

type Kind = "activity" | "subOrchestration" | "timer";
interface Task {
  kind: Kind;
  name?: string;
}

export interface DfOracleVerdict {
  status: "ok" | "rejected" | "failed";
  /** Rejected: the index (in the wire list) of the scheduling event DTFx would reject. */
  eventIndex?: number;
  /** Rejected: missing (no task at that EventId), wrong-kind, wrong-name. */
  reason?: "missing" | "wrong-kind" | "wrong-name";
  /** Which work item decided (0-based; one past the last for the run after the end). */
  workItem?: number;
  message?: string;
}

const T = HistoryEventType;
const SCHEDULING: Record<number, Kind> = { [T["TaskScheduled"]!]: "activity", [T["SubOrchestrationInstanceCreated"]!]: "subOrchestration", [T["TimerCreated"]!]: "timer" };
/** What the orchestrator wrote in a work item (its actions and their bookkeeping), not what the work item delivered to it. */
const OUTPUTS = new Set([...Object.keys(SCHEDULING).map(Number), T["EventSent"], T["OrchestratorCompleted"], T["ExecutionCompleted"], T["ContinueAsNew"]]);

function taskOf(task: TaskLike): Task | undefined {
  // A retry's later attempts are NoOpTasks under the RetryableTask: a timer, then the call again, alternating.
  if (task instanceof NoOpTask && task.parent instanceof RetryableTask) {
    const retry = task.parent as TaskLike;
    const position = retry.children!.indexOf(task);
    return position % 2 === 1 ? { kind: "timer" } : taskOf({ id: false, actionObj: retry.actionObj });
  }
  const action = task.actionObj;
  switch (action?.actionType) {
    case ActionType["CallActivity"]:
    case ActionType["CallActivityWithRetry"]:
      return { kind: "activity", name: action.functionName };
    case ActionType["CallSubOrchestrator"]:
    case ActionType["CallSubOrchestratorWithRetry"]:
      return { kind: "subOrchestration", name: action.functionName };
    case ActionType["CreateTimer"]:
      return { kind: "timer" };
    case ActionType["CallHttp"]:
      return { kind: "activity", name: "BuiltIn::HttpActivity" };
    default:
      return undefined;
  }
}

/** The run in progress: its tasks by the sequence number the executor gave them, and the index of the event the code threw at. */
let recording: { tasks: Map<number, Task>; index: WeakMap<object, number>; threwAt?: number } | undefined;
const trackOpenTask = TaskOrchestrationExecutor.prototype.trackOpenTask;
TaskOrchestrationExecutor.prototype.trackOpenTask = function (this: unknown, task: TaskLike) {
  const fresh = task.id === false && !Array.isArray(task.children);
  trackOpenTask.call(this, task);
  if (recording && fresh && typeof task.id === "number") {
    const made = taskOf(task);
    if (made) recording.tasks.set(task.id, made);
  }
};
// The executor keeps the code's exception and processes no event after it: where it threw is where the run stopped.
const processEvent = TaskOrchestrationExecutor.prototype.processEvent;
TaskOrchestrationExecutor.prototype.processEvent = function (this: { exception?: unknown }, event: WireEvent) {
  try {
    processEvent.call(this, event);
  } finally {
    if (recording && recording.threwAt === undefined && this.exception !== undefined) recording.threwAt = recording.index.get(event);
  }
};

/** Dates where the host's JSON has ISO strings (the listener compares OrchestratorStarted timestamps as dates). */
function revived(event: WireEvent, isPlayed: boolean): WireEvent {
  const out: WireEvent = { ...event, IsPlayed: isPlayed };
  if (typeof event.Timestamp === "string") out.Timestamp = new Date(event.Timestamp);
  if (typeof event.FireAt === "string") out.FireAt = new Date(event.FireAt);
  return out;
}

/**
 * The trigger's input as the host binds it: ExecutionStarted's JSON, or a bare string as itself.
 * Written here again on purpose: the oracle shares no code with the engine it checks.
 */
function bindingInput(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

interface ListenerRun {
  tasks: Map<number, Task>;
  /** The code threw: its message, and the index (in the history passed) of the event it threw at. */
  error?: string;
  threwAt?: number;
}

/** Runs the listener once on `history`: the tasks it made, by sequence number, and whether and where the code threw. */
async function runListener(fn: unknown, history: WireEvent[], instanceId: string, input: unknown): Promise<ListenerRun> {
  const run: NonNullable<typeof recording> = { tasks: new Map(), index: new WeakMap(history.map((event, i) => [event, i])) };
  recording = run;
  try {
    const trigger = new DurableOrchestrationInput(instanceId, history, input, undefined, undefined, undefined, LatestReplaySchema);
    await new Orchestrator(fn).handle(trigger, new DummyOrchestrationContext("df-oracle", "df-oracle", () => {}));
    return { tasks: run.tasks };
  } catch (error) {
    return { tasks: run.tasks, error: error instanceof Error ? error.message.split("\n")[0] : String(error), threwAt: run.threwAt };
  } finally {
    recording = undefined;
  }
}

/** The runtime's verdict for the orchestrator function `fn` (the generator the app registers) on `events`. */
export async function dfRuntimeVerdict(fn: unknown, events: readonly WireEvent[]): Promise<DfOracleVerdict> {
  if (events.some((e) => e.EventType === T["EventSent"])) throw new Error("the Durable Functions oracle does not model entity messages (EventSent)");
  const started = events.find((e) => e.EventType === T["ExecutionStarted"]);
  const instanceId = started?.OrchestrationInstance?.InstanceId ?? "df-oracle";
  const input = bindingInput(started?.Input);
  const starts = workItemStarts(events);
  const items = [...starts.map((start, k) => ({ start, end: starts[k + 1] ?? events.length })), { start: events.length, end: events.length }];
  for (const [k, item] of items.entries()) {
    const played = events.slice(0, item.start).map((e) => revived(e, true));
    const delivered = events.slice(item.start, item.end).filter((e) => !OUTPUTS.has(e.EventType));
    const fresh = delivered.length > 0 ? delivered.map((e) => revived(e, false)) : [{ EventType: T["OrchestratorStarted"]!, EventId: -1, IsPlayed: false, Timestamp: new Date() }];
    const run = await runListener(fn, [...played, ...fresh], instanceId, input);
    // Where the code threw the runtime stopped (DTFx fails the orchestration there): the calls recorded
    // after that point were never reached, not refused.
    const checkedUpTo = run.threwAt === undefined ? item.start : Math.min(item.start, run.threwAt);
    for (let i = 0; i < checkedUpTo; i++) {
      const event = events[i]!;
      const kind = SCHEDULING[event.EventType];
      if (kind === undefined) continue;
      const task = run.tasks.get(event.EventId);
      const reason = !task ? "missing" : task.kind !== kind ? "wrong-kind" : kind !== "timer" && task.name?.toLowerCase() !== event.Name?.toLowerCase() ? "wrong-name" : undefined;
      if (reason) {
        const made = task ? `${task.kind}${task.name ? ` ${task.name}` : ""}` : "nothing";
        return { status: "rejected", eventIndex: i, reason, workItem: k, message: `event ${i}: the history has ${kind}${event.Name ? ` ${event.Name}` : ""} at EventId ${event.EventId}, the orchestrator makes ${made}` };
      }
    }
    if (run.error !== undefined) {
      // A failure the history recorded (ExecutionCompleted Failed from this work item on) is the history, not
      // a verdict; nor is failing where the history ends (nothing was written after these events yet).
      const after = events.slice(item.start);
      const recordedFailure = after.some((e) => e.EventType === T["ExecutionCompleted"] && (e["OrchestrationStatus"] === 3 || e["OrchestrationStatus"] === "Failed"));
      const wroteAfter = after.some((e) => OUTPUTS.has(e.EventType) && e.EventType !== T["OrchestratorCompleted"]);
      if (!recordedFailure && wroteAfter) return { status: "failed", workItem: k, message: run.error };
    }
  }
  return { status: "ok" };
}

/** Where each work item starts (its OrchestratorStarted), as the oracle splits the history. */
export const workItemStarts = (events: readonly WireEvent[]): number[] => events.flatMap((e, i) => (e.EventType === T["OrchestratorStarted"] ? [i] : []));

/** The part of dtcheck's replay result the oracle is compared with. */
export interface DtcheckVerdict {
  status: string;
  divergence?: { reason: string; eventIndex: number };
}

/**
 * Whether dtcheck's verdict is the runtime's on the same events (dtcheck's history holds them one
 * for one): ok where it is ok; the same event and reason where it rejects; where the code fails,
 * an orchestrator failure at an event of the work item it failed in (or the end, after the last).
 */
export function dfAgrees(oracle: DfOracleVerdict, result: DtcheckVerdict, events: readonly WireEvent[]): boolean {
  const divergence = result.divergence;
  if (oracle.status === "ok") return result.status === "ok";
  if (oracle.status === "rejected") return divergence?.eventIndex === oracle.eventIndex && divergence?.reason === oracle.reason;
  const starts = workItemStarts(events);
  const from = starts[oracle.workItem!] ?? events.length;
  const to = starts[oracle.workItem! + 1] ?? events.length;
  const at = divergence?.eventIndex ?? -1;
  return divergence?.reason === "orchestrator-failed" && at >= from && (at < to || at === events.length);
}
