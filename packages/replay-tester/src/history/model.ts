/**
 * The canonical in-memory history model. Every history format parses into it and writes from it,
 * and every engine replays from it, so converting between formats is parse + write.
 *
 * Payloads (inputs, results, outputs) stay exactly as the runtime stores them: JSON text in a
 * string, or undefined when absent. Timestamps stay ISO-8601 strings (validated on parse) so a
 * round trip keeps the original precision.
 */

export type OrchestrationStatus =
  | "running"
  | "completed"
  | "continuedAsNew"
  | "failed"
  | "canceled"
  | "terminated"
  | "pending"
  | "suspended";

export interface FailureDetails {
  errorType: string;
  errorMessage: string;
  stackTrace?: string;
  innerFailure?: FailureDetails;
  isNonRetriable?: boolean;
}

interface EventBase {
  /**
   * The runtime's event id. For events that start a durable task (taskScheduled, timerCreated,
   * subOrchestrationInstanceCreated, eventSent) this is the task's sequence number, which the
   * completion events refer to. Other events carry -1, as the runtime writes them.
   */
  eventId: number;
  /** ISO-8601 timestamp as written in the source; may be omitted by some formats. */
  timestamp?: string;
}

export interface OrchestratorStartedEvent extends EventBase {
  kind: "orchestratorStarted";
}
export interface OrchestratorCompletedEvent extends EventBase {
  kind: "orchestratorCompleted";
}
export interface ExecutionStartedEvent extends EventBase {
  kind: "executionStarted";
  name: string;
  instanceId?: string;
  executionId?: string;
  input?: string;
  version?: string;
  parentInstance?: { name?: string; instanceId: string; taskScheduledId?: number };
  scheduledStartTimestamp?: string;
  tags?: Record<string, string>;
}
export interface ExecutionCompletedEvent extends EventBase {
  kind: "executionCompleted";
  status: OrchestrationStatus;
  result?: string;
  failure?: FailureDetails;
}
export interface ExecutionTerminatedEvent extends EventBase {
  kind: "executionTerminated";
  input?: string;
  recurse?: boolean;
}
export interface ExecutionSuspendedEvent extends EventBase {
  kind: "executionSuspended";
  input?: string;
}
export interface ExecutionResumedEvent extends EventBase {
  kind: "executionResumed";
  input?: string;
}
export interface ContinueAsNewEvent extends EventBase {
  kind: "continueAsNew";
  input?: string;
}
export interface TaskScheduledEvent extends EventBase {
  kind: "taskScheduled";
  name: string;
  input?: string;
  version?: string;
  tags?: Record<string, string>;
}
export interface TaskCompletedEvent extends EventBase {
  kind: "taskCompleted";
  taskScheduledId: number;
  result?: string;
}
export interface TaskFailedEvent extends EventBase {
  kind: "taskFailed";
  taskScheduledId: number;
  failure: FailureDetails;
}
export interface SubOrchestrationInstanceCreatedEvent extends EventBase {
  kind: "subOrchestrationInstanceCreated";
  name: string;
  instanceId: string;
  input?: string;
  version?: string;
}
export interface SubOrchestrationInstanceCompletedEvent extends EventBase {
  kind: "subOrchestrationInstanceCompleted";
  taskScheduledId: number;
  result?: string;
}
export interface SubOrchestrationInstanceFailedEvent extends EventBase {
  kind: "subOrchestrationInstanceFailed";
  taskScheduledId: number;
  failure: FailureDetails;
}
export interface TimerCreatedEvent extends EventBase {
  kind: "timerCreated";
  fireAt: string;
}
export interface TimerFiredEvent extends EventBase {
  kind: "timerFired";
  /** The eventId of the matching timerCreated. */
  timerId: number;
  fireAt: string;
}
export interface EventSentEvent extends EventBase {
  kind: "eventSent";
  instanceId: string;
  name: string;
  input?: string;
}
export interface EventRaisedEvent extends EventBase {
  kind: "eventRaised";
  name: string;
  input?: string;
}
export interface GenericEvent extends EventBase {
  kind: "genericEvent";
  data?: string;
}
export interface HistoryStateEvent extends EventBase {
  kind: "historyState";
}
export interface ExecutionRewoundEvent extends EventBase {
  kind: "executionRewound";
  reason?: string;
}

/** Entity events are carried through unchanged: dtcheck replays them but does not interpret their payload. */
export type EntityEventKind =
  | "entityOperationSignaled"
  | "entityOperationCalled"
  | "entityOperationCompleted"
  | "entityOperationFailed"
  | "entityLockRequested"
  | "entityLockGranted"
  | "entityUnlockSent";
export interface EntityEvent extends EventBase {
  kind: EntityEventKind;
  /** The event's own fields, in proto3-JSON (camelCase) form. */
  payload: Record<string, unknown>;
}

export type HistoryEvent =
  | OrchestratorStartedEvent
  | OrchestratorCompletedEvent
  | ExecutionStartedEvent
  | ExecutionCompletedEvent
  | ExecutionTerminatedEvent
  | ExecutionSuspendedEvent
  | ExecutionResumedEvent
  | ContinueAsNewEvent
  | TaskScheduledEvent
  | TaskCompletedEvent
  | TaskFailedEvent
  | SubOrchestrationInstanceCreatedEvent
  | SubOrchestrationInstanceCompletedEvent
  | SubOrchestrationInstanceFailedEvent
  | TimerCreatedEvent
  | TimerFiredEvent
  | EventSentEvent
  | EventRaisedEvent
  | GenericEvent
  | HistoryStateEvent
  | ExecutionRewoundEvent
  | EntityEvent;

export type HistoryEventKind = HistoryEvent["kind"];

export type HistoryFormat = "protobuf-json" | "friendly" | "df-wire" | "df-http";

/**
 * A conclusion the parser had to guess because the source format dropped the information
 * (the Durable Functions HTTP API omits TaskScheduled events and event ids). Reports that rest on
 * a reconstructed event must say so.
 */
export interface Reconstruction {
  /** Index into History.events of the event that was reconstructed or re-ordered. */
  eventIndex: number;
  reason: string;
}

export interface History {
  events: HistoryEvent[];
  /** Where the history came from, for messages. */
  source?: { file?: string; format?: HistoryFormat };
  /** Empty or absent for lossless formats. */
  reconstructions?: Reconstruction[];
}

/** One episode: the events the runtime delivered to one orchestrator invocation. */
export interface Episode {
  /** Index into History.events of the episode's first event. */
  start: number;
  /** Index one past the episode's last event. */
  end: number;
}

/**
 * Events the orchestrator's own actions produce (written after its invocation), as opposed to the
 * events the runtime delivers to it. The runtime hands an invocation only the delivered ones.
 */
const OUTPUT_KINDS: ReadonlySet<HistoryEventKind> = new Set<HistoryEventKind>([
  "taskScheduled",
  "timerCreated",
  "subOrchestrationInstanceCreated",
  "eventSent",
  "orchestratorCompleted",
  "executionCompleted",
  "continueAsNew",
  "entityOperationCalled",
  "entityOperationSignaled",
  "entityLockRequested",
  "entityUnlockSent",
]);

export function isOutputEvent(event: HistoryEvent): boolean {
  return OUTPUT_KINDS.has(event.kind);
}

/**
 * Splits a history into episodes, as the runtime delivered it: at each orchestratorStarted, and
 * where a delivered event (a result, a timer, a message) follows the orchestrator's own actions.
 * An invocation receives its messages first and writes its actions after them, so a message after
 * an action belongs to a later invocation, whether or not the runtime wrote an orchestratorStarted
 * there: the sidecar and DTS write one per invocation, @microsoft/durabletask-js's in-memory test
 * runtime one per execution. Events before the first orchestratorStarted (formats that omit it)
 * belong to the first episode.
 */
export function splitEpisodes(events: readonly HistoryEvent[]): Episode[] {
  const episodes: Episode[] = [];
  let start = 0;
  let acted = false;
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    const output = OUTPUT_KINDS.has(event.kind);
    if (i > start && (event.kind === "orchestratorStarted" || (acted && !output))) {
      episodes.push({ start, end: i });
      start = i;
      acted = false;
    }
    if (output) acted = true;
  }
  if (events.length > 0) episodes.push({ start, end: events.length });
  return episodes;
}

/** The ExecutionStarted event of a history, if any. */
export function executionStarted(history: History): ExecutionStartedEvent | undefined {
  for (const event of history.events) {
    if (event.kind === "executionStarted") return event;
  }
  return undefined;
}
