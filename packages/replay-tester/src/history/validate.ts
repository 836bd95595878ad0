import { InputError } from "../errors.js";
import type { History, HistoryEventKind } from "./model.js";

/** Which scheduling event a completion must refer to, and by which field. */
const SCHEDULED_BY: Partial<Record<HistoryEventKind, HistoryEventKind>> = {
  taskCompleted: "taskScheduled",
  taskFailed: "taskScheduled",
  subOrchestrationInstanceCompleted: "subOrchestrationInstanceCreated",
  subOrchestrationInstanceFailed: "subOrchestrationInstanceCreated",
  timerFired: "timerCreated",
};

/**
 * Checks what every format must satisfy before replay: at least one event, an executionStarted,
 * and every completion (taskCompleted/Failed, subOrchestration*Completed/Failed, timerFired)
 * referring to an earlier scheduling event of the matching kind, and finishing it only once. Throws one InputError naming the
 * file and the event index. One pass, one Map.
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
  let started = false;
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    switch (event.kind) {
      case "executionStarted":
        started = true;
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
  if (!started) {
    throw new InputError(
      `no executionStarted event in events 0-${events.length - 1}; a history begins with orchestratorStarted and executionStarted, so the start of the file is missing`,
      { file },
    );
  }
}
