/**
 * Sequence numbers of a history the format could not number. The Durable Functions HTTP API drops
 * every event id, and its reader assigns them from 0, as DTFx and durable-functions number their
 * calls. The durabletask-js executors (and Dapr's copy) number from 1. Replaying a df-http history
 * on them would fail at the first call ("the history recorded ... with id 0"), so the ids are
 * shifted to the engine's numbering first: the ids were reconstructed anyway, and their order, the
 * only thing the API does show, is kept.
 */
import type { History, HistoryEvent } from "./model.js";

/** The first sequence number the SDK's executor gives a call. */
export type FirstSequenceId = 0 | 1;

function shifted(event: HistoryEvent, by: number): HistoryEvent {
  switch (event.kind) {
    case "taskScheduled":
    case "timerCreated":
    case "subOrchestrationInstanceCreated":
    case "eventSent":
      return event.eventId >= 0 ? { ...event, eventId: event.eventId + by } : event;
    case "taskCompleted":
    case "taskFailed":
    case "subOrchestrationInstanceCompleted":
    case "subOrchestrationInstanceFailed":
      return { ...event, taskScheduledId: event.taskScheduledId + by };
    case "timerFired":
      return { ...event, timerId: event.timerId + by };
    default:
      return event;
  }
}

/**
 * The history numbered as an executor that starts at `first` numbers it. Only histories whose ids
 * the reader reconstructed (df-http, numbered from 0) are renumbered; a lossless history keeps the
 * ids it recorded, since those are what the runtime compared.
 */
export function numberedFor(history: History, first: FirstSequenceId): History {
  if (history.source?.format !== "df-http" || first === 0) return history;
  return { ...history, events: history.events.map((event) => shifted(event, first)) };
}
