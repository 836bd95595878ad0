/**
 * Fidelity against the real SDK: a history built with durabletask-js's own event constructors
 * (pb-helper), turned into the SDK's friendly objects by its own converter, read by dtcheck,
 * written as proto3 JSON and read back, must match the protobuf messages event by event.
 */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import type * as PbHelper from "@microsoft/durabletask-js/dist/utils/pb-helper.util.js";
import type * as Converter from "@microsoft/durabletask-js/dist/utils/history-event-converter.js";
import type * as Pb from "@microsoft/durabletask-js/dist/proto/orchestrator_service_pb.js";
import { parseHistoryText, parseHistoryValue, writeHistory, type HistoryEvent } from "../../src/index.js";

const require = createRequire(import.meta.url);
const ph = require("@microsoft/durabletask-js/dist/utils/pb-helper.util.js") as typeof PbHelper;
const converter = require("@microsoft/durabletask-js/dist/utils/history-event-converter.js") as typeof Converter;
const pb = require("@microsoft/durabletask-js/dist/proto/orchestrator_service_pb.js") as typeof Pb;

/** The oneof case of a protobuf event as its field name (TASKSCHEDULED -> taskScheduled). */
const CASE_NAMES = new Map<number, string>(
  Object.entries(pb.HistoryEvent.EventtypeCase).map(([name, value]) => [value as number, name.toLowerCase()]),
);

/** What a replay relies on, read from a protobuf message with its getters. */
function pbFacts(e: Pb.HistoryEvent) {
  const facts: Record<string, unknown> = {
    kind: CASE_NAMES.get(e.getEventtypeCase()),
    eventId: e.getEventid(),
    timestamp: e.getTimestamp()?.toDate().toISOString(),
  };
  const started = e.getExecutionstarted();
  if (started) Object.assign(facts, { name: started.getName(), input: started.getInput()?.getValue(), instanceId: started.getOrchestrationinstance()?.getInstanceid() });
  const scheduled = e.getTaskscheduled();
  if (scheduled) Object.assign(facts, { name: scheduled.getName(), input: scheduled.getInput()?.getValue() });
  const completed = e.getTaskcompleted() ?? e.getSuborchestrationinstancecompleted();
  if (completed) Object.assign(facts, { taskScheduledId: completed.getTaskscheduledid(), result: completed.getResult()?.getValue() });
  const failed = e.getTaskfailed() ?? e.getSuborchestrationinstancefailed();
  if (failed) {
    const details = failed.getFailuredetails()!;
    Object.assign(facts, {
      taskScheduledId: failed.getTaskscheduledid(),
      errorType: details.getErrortype(),
      errorMessage: details.getErrormessage(),
      stackTrace: details.getStacktrace()?.getValue(),
    });
  }
  const created = e.getSuborchestrationinstancecreated();
  if (created) Object.assign(facts, { name: created.getName(), instanceId: created.getInstanceid(), input: created.getInput()?.getValue() });
  const timerCreated = e.getTimercreated();
  if (timerCreated) Object.assign(facts, { fireAt: timerCreated.getFireat()!.toDate().toISOString() });
  const timerFired = e.getTimerfired();
  if (timerFired) Object.assign(facts, { timerId: timerFired.getTimerid(), fireAt: timerFired.getFireat()!.toDate().toISOString() });
  const raised = e.getEventraised();
  if (raised) Object.assign(facts, { name: raised.getName(), input: raised.getInput()?.getValue() });
  const sent = e.getEventsent();
  if (sent) Object.assign(facts, { name: sent.getName(), instanceId: sent.getInstanceid(), input: sent.getInput()?.getValue() });
  const done = e.getExecutioncompleted();
  if (done) Object.assign(facts, { status: done.getOrchestrationstatus(), result: done.getResult()?.getValue() });
  const terminated = e.getExecutionterminated();
  if (terminated) Object.assign(facts, { input: terminated.getInput()?.getValue() });
  return facts;
}

const STATUS_NUMBERS: Record<string, number> = { running: 0, completed: 1, failed: 3, terminated: 5 };

/** The same facts read from dtcheck's model. */
function modelFacts(e: HistoryEvent) {
  const facts: Record<string, unknown> = { kind: e.kind.toLowerCase(), eventId: e.eventId, timestamp: e.timestamp };
  switch (e.kind) {
    case "executionStarted":
      return { ...facts, name: e.name, input: e.input, instanceId: e.instanceId };
    case "taskScheduled":
      return { ...facts, name: e.name, input: e.input };
    case "taskCompleted":
    case "subOrchestrationInstanceCompleted":
      return { ...facts, taskScheduledId: e.taskScheduledId, result: e.result };
    case "taskFailed":
    case "subOrchestrationInstanceFailed":
      return { ...facts, taskScheduledId: e.taskScheduledId, errorType: e.failure.errorType, errorMessage: e.failure.errorMessage, stackTrace: e.failure.stackTrace };
    case "subOrchestrationInstanceCreated":
      return { ...facts, name: e.name, instanceId: e.instanceId, input: e.input };
    case "timerCreated":
      return { ...facts, fireAt: e.fireAt };
    case "timerFired":
      return { ...facts, timerId: e.timerId, fireAt: e.fireAt };
    case "eventRaised":
      return { ...facts, name: e.name, input: e.input };
    case "eventSent":
      return { ...facts, name: e.name, instanceId: e.instanceId, input: e.input };
    case "executionCompleted":
      return { ...facts, status: STATUS_NUMBERS[e.status], result: e.result };
    case "executionTerminated":
      return { ...facts, input: e.input };
    default:
      return facts;
  }
}

function sdkHistory(): Pb.HistoryEvent[] {
  const t = (s: number) => new Date(Date.UTC(2026, 2, 2, 10, 0, s));
  const declined = new Error("card declined");
  declined.name = "PaymentDeclinedError";
  return [
    ph.newOrchestratorStartedEvent(t(0)),
    ph.newExecutionStartedEvent("ProcessOrder", "order-42", JSON.stringify({ orderId: 42 }), undefined, "exec-1"),
    ph.newTaskScheduledEvent(1, "ValidateOrder", JSON.stringify({ orderId: 42 })),
    ph.newOrchestratorStartedEvent(t(1)),
    ph.newTaskCompletedEvent(1, "true"),
    ph.newTaskScheduledEvent(2, "ChargeCard", '{"amount":12.5}'),
    ph.newOrchestratorStartedEvent(t(2)),
    ph.newTaskFailedEvent(2, declined),
    ph.newTimerCreatedEvent(3, t(7)),
    ph.newOrchestratorStartedEvent(t(8)),
    ph.newTimerFiredEvent(3, t(7)),
    ph.newSubOrchestrationCreatedEvent(4, "ShipOrder", "order-42:ship", '{"orderId":42}'),
    ph.newEventSentEvent(5, "audit-1", "OrderShipping", '"order-42"'),
    ph.newOrchestratorStartedEvent(t(9)),
    ph.newSubOrchestrationCompletedEvent(4, '{"trackingId":"TRK-7"}'),
    ph.newOrchestratorStartedEvent(t(30)),
    ph.newEventRaisedEvent("DeliveryConfirmed", '{"signedBy":"Ana"}'),
    ph.newExecutionCompletedEvent(pb.OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED, '"delivered"'),
  ];
}

describe("fidelity against @microsoft/durabletask-js's own protobuf events", () => {
  it("SDK events -> friendly (SDK converter) -> dtcheck -> proto3 JSON -> dtcheck match event by event", () => {
    const messages = sdkHistory();
    const friendlyObjects = messages.map((m) => converter.convertProtoHistoryEvent(m));
    // In-memory SDK objects (Date timestamps, FailureDetails class instances) are read directly.
    const fromSdk = parseHistoryValue(friendlyObjects);
    expect(fromSdk.source?.format).toBe("friendly");
    const protoJson = writeHistory(fromSdk, "protobuf-json");
    const back = parseHistoryText(protoJson);
    expect(back.source?.format).toBe("protobuf-json");
    expect(back.events).toHaveLength(messages.length);
    back.events.forEach((event, i) => expect(modelFacts(event), `event ${i}`).toEqual(pbFacts(messages[i]!)));
    // The failed task really carries the SDK's failure details.
    expect(back.events[7]).toMatchObject({ kind: "taskFailed", failure: { errorType: "PaymentDeclinedError", errorMessage: "card declined" } });
  });

  it("the proto3 JSON field names are the protobuf oneof names", () => {
    const written = JSON.parse(writeHistory(parseHistoryValue(sdkHistory().map((m) => converter.convertProtoHistoryEvent(m))), "protobuf-json")) as Record<string, unknown>[];
    written.forEach((event, i) => {
      const oneof = Object.keys(event).filter((key) => key !== "eventId" && key !== "timestamp");
      expect(oneof.map((key) => key.toLowerCase())).toEqual([CASE_NAMES.get(sdkHistory()[i]!.getEventtypeCase())]);
    });
  });
});
