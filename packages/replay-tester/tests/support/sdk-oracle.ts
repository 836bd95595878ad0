/**
 * The durabletask-js SDK's own verdict on a history: its OrchestrationExecutor fed the history work
 * item by work item, as a worker is fed (old events = everything written before the work item, new
 * events = what the work item delivered), then once more with the whole history as old events and a
 * fresh orchestratorStarted, as the next work item after the end would be. The first work item the
 * executor rejects (NonDeterminismError) or fails in decides.
 *
 * Independent of dtcheck: events come from the runtime itself (the in-memory backend's protobuf
 * events) or are built with the SDK's own constructors (pb-helper), never with dtcheck's converter.
 */
import { createRequire } from "node:module";
import type * as PbHelper from "@microsoft/durabletask-js/dist/utils/pb-helper.util.js";
import type * as Pb from "@microsoft/durabletask-js/dist/proto/orchestrator_service_pb.js";
import type { History, HistoryEvent, OrchestrationStatus } from "../../src/index.js";
import { dirname } from "node:path";
import { activateProtoNamespace, loadDurableTaskSdk } from "../../src/engines/durabletask/sdk.js";

const require = createRequire(import.meta.url);
const pbh = require("@microsoft/durabletask-js/dist/utils/pb-helper.util.js") as typeof PbHelper;
const pb = require("@microsoft/durabletask-js/dist/proto/orchestrator_service_pb.js") as typeof Pb;
const { OrchestrationExecutor } = require("@microsoft/durabletask-js/dist/worker/orchestration-executor.js") as {
  OrchestrationExecutor: new (registry: unknown, logger?: unknown) => { execute(id: string, old: Pb.HistoryEvent[], fresh: Pb.HistoryEvent[]): Promise<{ actions: Pb.OrchestratorAction[] }> };
};
const { Registry } = require("@microsoft/durabletask-js/dist/worker/registry.js") as { Registry: new () => { addNamedOrchestrator(name: string, fn: unknown): void } };

/** The installed Microsoft SDK, as dtcheck's engine loads it. */
export const MICROSOFT_SDK = loadDurableTaskSdk(dirname(dirname(require.resolve("@microsoft/durabletask-js/dist/worker/orchestration-executor.js"))));

const SILENT = { error() {}, warn() {}, info() {}, debug() {} };

const STATUS: Partial<Record<OrchestrationStatus, Pb.OrchestrationStatus>> = {
  completed: pb.OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED,
  failed: pb.OrchestrationStatus.ORCHESTRATION_STATUS_FAILED,
  terminated: pb.OrchestrationStatus.ORCHESTRATION_STATUS_TERMINATED,
  continuedAsNew: pb.OrchestrationStatus.ORCHESTRATION_STATUS_CONTINUED_AS_NEW,
};

const date = (iso: string | undefined) => new Date(iso ?? 0);
function errorOf(failure: { errorType: string; errorMessage: string }): Error {
  const error = new Error(failure.errorMessage);
  error.name = failure.errorType;
  return error;
}

/** One canonical event as the SDK's own constructors build it, or undefined for events the executor ignores. */
function sdkEvent(event: HistoryEvent): Pb.HistoryEvent | undefined {
  switch (event.kind) {
    case "orchestratorStarted":
      return pbh.newOrchestratorStartedEvent(date(event.timestamp));
    case "executionStarted": {
      const started = pbh.newExecutionStartedEvent(event.name, event.instanceId ?? "oracle", event.input);
      // The orchestration version the instance started with: what ctx.version / compareVersionTo read.
      if (event.version !== undefined) {
        const version = new MICROSOFT_SDK.StringValue();
        version.setValue(event.version);
        started.getExecutionstarted()?.setVersion(version);
      }
      return started;
    }
    case "taskScheduled":
      return pbh.newTaskScheduledEvent(event.eventId, event.name, event.input);
    case "taskCompleted":
      return pbh.newTaskCompletedEvent(event.taskScheduledId, event.result);
    case "taskFailed":
      return pbh.newTaskFailedEvent(event.taskScheduledId, errorOf(event.failure));
    case "timerCreated":
      return pbh.newTimerCreatedEvent(event.eventId, date(event.fireAt));
    case "timerFired":
      return pbh.newTimerFiredEvent(event.timerId, date(event.fireAt));
    case "subOrchestrationInstanceCreated":
      return pbh.newSubOrchestrationCreatedEvent(event.eventId, event.name, event.instanceId, event.input);
    case "subOrchestrationInstanceCompleted":
      return pbh.newSubOrchestrationCompletedEvent(event.taskScheduledId, event.result);
    case "subOrchestrationInstanceFailed":
      return pbh.newSubOrchestrationFailedEvent(event.taskScheduledId, errorOf(event.failure));
    case "eventRaised":
      return pbh.newEventRaisedEvent(event.name, event.input);
    case "eventSent":
      return pbh.newEventSentEvent(event.eventId, event.instanceId, event.name, event.input);
    case "executionSuspended":
      return pbh.newSuspendEvent();
    case "executionResumed":
      return pbh.newResumeEvent();
    case "executionTerminated":
      return pbh.newTerminatedEvent(event.input);
    case "executionCompleted":
      return pbh.newExecutionCompletedEvent(STATUS[event.status] ?? pb.OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, event.result);
    case "orchestratorCompleted":
      return undefined;
    default:
      throw new Error(`the SDK oracle cannot build a ${event.kind} event (pb-helper has no constructor for it)`);
  }
}

/** A canonical history as SDK events, with the index of each SDK event in the canonical history. */
export function toSdkEvents(history: History): { events: Pb.HistoryEvent[]; source: number[] } {
  const events: Pb.HistoryEvent[] = [];
  const source: number[] = [];
  history.events.forEach((event, i) => {
    const built = sdkEvent(event);
    if (built) {
      events.push(built);
      source.push(i);
    }
  });
  return { events, source };
}

/** Work items of a history whose runtime wrote one orchestratorStarted per work item (the sidecar, DTS, dtcheck's recorder). */
export function workItemsAtOrchestratorStarted(events: readonly Pb.HistoryEvent[]): number[] {
  const starts: number[] = [];
  events.forEach((event, i) => {
    if (event.hasOrchestratorstarted()) starts.push(i);
  });
  return starts;
}

export interface OracleVerdict {
  status: "ok" | "rejected" | "failed";
  /** Rejected: the SDK event index of the scheduling event the SDK named; failed: the work item's first event. */
  eventIndex?: number;
  /** Which work item decided (0-based; one past the last for the final replay). */
  workItem?: number;
  message?: string;
}

const OUTPUT_CASES = new Set<number>([
  pb.HistoryEvent.EventtypeCase.TASKSCHEDULED,
  pb.HistoryEvent.EventtypeCase.TIMERCREATED,
  pb.HistoryEvent.EventtypeCase.SUBORCHESTRATIONINSTANCECREATED,
  pb.HistoryEvent.EventtypeCase.EVENTSENT,
  pb.HistoryEvent.EventtypeCase.EXECUTIONCOMPLETED,
  pb.HistoryEvent.EventtypeCase.ORCHESTRATORCOMPLETED,
]);

/**
 * The SDK's verdict for `fn` registered as `name` on `events`, fed work item by work item from the
 * given work item starts (indices into events). The history's own failure (a recorded failed
 * completion) is not a verdict against the code.
 */
export async function sdkVerdict(name: string, fn: unknown, events: readonly Pb.HistoryEvent[], workItemStarts: readonly number[]): Promise<OracleVerdict> {
  activateProtoNamespace(MICROSOFT_SDK);
  const registry = new Registry();
  registry.addNamedOrchestrator(name, fn);
  const instanceId = events.find((e) => e.hasExecutionstarted())?.getExecutionstarted()?.getOrchestrationinstance()?.getInstanceid() ?? "oracle";
  const items = [...workItemStarts.map((start, k) => ({ start, end: workItemStarts[k + 1] ?? events.length })), { start: events.length, end: events.length }];
  for (const [k, item] of items.entries()) {
    const old = events.slice(0, item.start);
    const delivered = events.slice(item.start, item.end).filter((e) => !OUTPUT_CASES.has(e.getEventtypeCase()));
    const fresh = delivered.length > 0 ? delivered : [pbh.newOrchestratorStartedEvent(new Date())];
    const { actions } = await new OrchestrationExecutor(registry, SILENT).execute(instanceId, old, fresh);
    const failedAction = actions.map((a) => a.getCompleteorchestration()).find((c) => c?.getOrchestrationstatus() === pb.OrchestrationStatus.ORCHESTRATION_STATUS_FAILED);
    if (!failedAction) continue;
    const details = failedAction.getFailuredetails();
    const message = details?.getErrormessage() ?? "";
    if (details?.getErrortype() === "NonDeterminismError") {
      const id = Number(/(?:ID=|sequence number )(-?\d+)/.exec(message)?.[1]);
      const eventIndex = old.findIndex((e) => OUTPUT_CASES.has(e.getEventtypeCase()) && e.getEventid() === id);
      return { status: "rejected", eventIndex: eventIndex >= 0 ? eventIndex : undefined, workItem: k, message };
    }
    // The code failing where the history recorded that very failure is the history, not a verdict;
    // nor is failing where the history ends in flight (nothing was written after these events yet).
    const after = events.slice(item.start);
    const recorded = after.find((e) => e.hasExecutioncompleted())?.getExecutioncompleted();
    if (recorded?.getOrchestrationstatus() === pb.OrchestrationStatus.ORCHESTRATION_STATUS_FAILED) continue;
    if (!after.some((e) => OUTPUT_CASES.has(e.getEventtypeCase()) && !e.hasOrchestratorcompleted())) continue;
    return { status: "failed", eventIndex: item.start, workItem: k, message };
  }
  return { status: "ok" };
}
