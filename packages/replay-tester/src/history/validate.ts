import { InputError } from "../errors.js";
import { isOutputEvent, type History, type HistoryEventKind } from "./model.js";

/** Which scheduling event a completion must refer to, and by which field. */
const SCHEDULED_BY: Partial<Record<HistoryEventKind, HistoryEventKind>> = {
  taskCompleted: "taskScheduled",
  taskFailed: "taskScheduled",
  subOrchestrationInstanceCompleted: "subOrchestrationInstanceCreated",
  subOrchestrationInstanceFailed: "subOrchestrationInstanceCreated",
  timerFired: "timerCreated",
};

/**
 * Checks what every format must satisfy before replay, at least what the runtimes reject (DTFx's
 * OrchestrationRuntimeState, the SDK executors): at least one event; exactly one executionStarted
 * (a history holds one execution: DTFx throws "Multiple ExecutionStartedEvent found, potential
 * corruption in state storage"), and nothing but orchestratorStarted before it; at most one
 * executionCompleted ("Multiple ExecutionCompletedEvent found") and nothing but orchestratorCompleted
 * after it; every completion (taskCompleted/Failed, subOrchestration*Completed/Failed, timerFired)
 * referring to an earlier scheduling event of the matching kind and finishing it only once; and in an
 * episode the runtime closed with orchestratorCompleted, its delivered events (results, timers,
 * messages) before the orchestrator's actions, as the runtime writes them. Throws one InputError
 * naming the file and the event index. Two passes, no allocation per event beyond two Maps.
 */
export function validateHistory(history: History): void {
  const file = history.source?.file;
  const events = history.events;
  if (events.length === 0) {
    throw new InputError("the history has no events; export it again, or check that this is the right file", { file });
  }
  const scheduled = new Map<number, HistoryEventKind>();
  // Scheduled id → index of the event that completed it. A task finishes once: a second completion
  // (a duplicated delivery, a hand-edited file) would make the replay feed the code twice.
  const completedAt = new Map<number, number>();
  // A history appended twice (or two executions joined) is named as such before anything it breaks downstream.
  const starts: number[] = [];
  const completions: number[] = [];
  for (let i = 0; i < events.length; i++) {
    if (events[i]!.kind === "executionStarted") starts.push(i);
    else if (events[i]!.kind === "executionCompleted") completions.push(i);
  }
  if (starts.length > 1) {
    throw new InputError(
      `event ${starts[1]}: a second executionStarted (event ${starts[0]} already started this execution); a history holds one execution, and the runtime rejects this one ("Multiple ExecutionStartedEvent found, potential corruption in state storage"): the history was appended twice or two executions were joined, keep one`,
      { file },
    );
  }
  if (completions.length > 1) {
    throw new InputError(
      `event ${completions[1]}: a second executionCompleted (event ${completions[0]} already completed this execution); an execution completes once, and the runtime rejects this one ("Multiple ExecutionCompletedEvent found, potential corruption in state storage"): the history was appended twice or edited, keep one`,
      { file },
    );
  }
  // Without any executionStarted the final check says the start is missing; with one, what comes before it is misplaced.
  const hasStart = starts.length === 1;
  let startedAt: number | undefined;
  let completedExecutionAt: number | undefined;
  // The open episode: where its orchestratorStarted is, and the first action written in it.
  let episodeStart: number | undefined;
  let firstActionAt: number | undefined;
  // Delivered events after an action, in the open episode: legal only if no orchestratorCompleted closes it there.
  let deliveredAfterAction: number | undefined;
  const fail = (message: string) => {
    throw new InputError(message, { file });
  };
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    if (completedExecutionAt !== undefined && event.kind !== "orchestratorCompleted") {
      fail(
        `event ${i}: ${event.kind} after the executionCompleted at event ${completedExecutionAt}; a runtime writes nothing into a history after the orchestration completed, so the history was appended to or edited: remove the events after it or export it again`,
      );
    }
    if (hasStart && startedAt === undefined && event.kind !== "orchestratorStarted" && event.kind !== "executionStarted") {
      fail(
        `event ${i}: ${event.kind} before the executionStarted event; a history begins with orchestratorStarted and executionStarted, so the start of the file is missing or reordered: export it again`,
      );
    }
    if (event.kind === "orchestratorStarted") {
      episodeStart = i;
      firstActionAt = undefined;
      deliveredAfterAction = undefined;
    } else if (event.kind === "orchestratorCompleted") {
      if (deliveredAfterAction !== undefined && episodeStart !== undefined) {
        fail(
          `event ${deliveredAfterAction}: ${events[deliveredAfterAction]!.kind} comes after the orchestrator's actions (event ${firstActionAt}) in the episode of events ${episodeStart}-${i}; the runtime delivers an episode's events before the orchestrator acts on them, so the events were reordered: export the history again`,
        );
      }
      episodeStart = undefined;
    } else if (isOutputEvent(event)) {
      firstActionAt ??= i;
    } else if (firstActionAt !== undefined) {
      deliveredAfterAction ??= i;
    }
    switch (event.kind) {
      case "executionStarted":
        startedAt = i;
        break;
      case "executionCompleted":
        completedExecutionAt = i;
        break;
      case "taskScheduled":
      case "subOrchestrationInstanceCreated":
      case "timerCreated":
        scheduled.set(event.eventId, event.kind);
        // A rewind removes a failed task's events and the code schedules it again under the same id.
        completedAt.delete(event.eventId);
        break;
      case "taskCompleted":
      case "taskFailed":
      case "subOrchestrationInstanceCompleted":
      case "subOrchestrationInstanceFailed":
      case "timerFired": {
        const id = event.kind === "timerFired" ? event.timerId : event.taskScheduledId;
        const expected = SCHEDULED_BY[event.kind]!;
        const found = scheduled.get(id);
        if (found !== expected) {
          const field = event.kind === "timerFired" ? "timerId" : "taskScheduledId";
          const seen = found === undefined ? `no earlier ${expected} event has eventId ${id}` : `eventId ${id} is a ${found}, not a ${expected}`;
          throw new InputError(
            `event ${i}: ${event.kind} refers to ${field} ${id}, but ${seen}; the history is incomplete or was edited, export it again`,
            { file },
          );
        }
        const previous = completedAt.get(id);
        if (previous !== undefined) {
          throw new InputError(
            `event ${i}: ${event.kind} completes ${expected} ${id} a second time (event ${previous} already ${event.kind === "timerFired" ? "fired it" : "completed it"}); a task finishes once, so the history was duplicated or edited: remove one of them or export it again`,
            { file },
          );
        }
        completedAt.set(id, i);
        break;
      }
      default:
        break;
    }
  }
  if (startedAt === undefined) {
    throw new InputError(
      `no executionStarted event in events 0-${events.length - 1}; a history begins with orchestratorStarted and executionStarted, so the start of the file is missing`,
      { file },
    );
  }
}
