import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import type { HistoryEvent } from "../../src/history/model.js";
import { findDurableTaskRoots, loadDurableTaskSdk } from "../../src/engines/durabletask/sdk.js";
import { ProtobufConverter } from "../../src/engines/durabletask/to-protobuf.js";
import { leanEventBuilder } from "../../src/engines/durabletask/lean-events.js";
import { FixedCaseClasses } from "../../src/engines/durabletask/fixed-case.js";

const here = fileURLToPath(import.meta.url);
const roots = findDurableTaskRoots(here);

const at = "2024-05-06T07:08:09.123Z";
const events: HistoryEvent[] = [
  { kind: "orchestratorStarted", eventId: -1, timestamp: at },
  { kind: "taskScheduled", eventId: 3, timestamp: at, name: "charge", input: '{"cents":100}' },
  { kind: "taskCompleted", eventId: -1, timestamp: at, taskScheduledId: 3, result: '"ok"' },
  { kind: "taskCompleted", eventId: -1, timestamp: at, taskScheduledId: 4 },
  { kind: "timerCreated", eventId: 5, timestamp: at, fireAt: "2024-05-06T08:00:00.500Z" },
  { kind: "timerFired", eventId: -1, timestamp: at, timerId: 5, fireAt: "2024-05-06T08:00:00.500Z" },
  { kind: "subOrchestrationInstanceCreated", eventId: 6, timestamp: at, name: "child", instanceId: "i:0006", input: "1" },
  { kind: "subOrchestrationInstanceCompleted", eventId: -1, timestamp: at, taskScheduledId: 6, result: "[1,2]" },
  { kind: "eventRaised", eventId: -1, timestamp: at, name: "Approval", input: "true" },
];

/** What the executor reads from an event: lean events must give the same answers. */
function executorView(e: ReturnType<ProtobufConverter["convert"]>) {
  const view = e.toObject();
  delete view.timestamp; // read only on orchestratorStarted, compared below
  if (view.taskscheduled) delete view.taskscheduled.input; // inputs of scheduling events are not read
  if (view.suborchestrationinstancecreated) delete view.suborchestrationinstancecreated.input;
  return view;
}

it("finds the three durabletask-js copies installed for the tests (a describe.each over none would pass silently)", () => {
  expect(roots.map((r) => r.layout.packageName)).toEqual(["@microsoft/durabletask-js", "@dapr/dapr", "@dapr/durabletask-js"]);
});

describe.each(roots.map((r) => [r.layout.packageName, r.root]))("%s protobuf conversion", (_name, root) => {
  const sdk = loadDurableTaskSdk(root);
  const converter = new ProtobufConverter(sdk);

  it("discovers the array layout of this SDK's generated classes", () => {
    const build = leanEventBuilder(sdk, new FixedCaseClasses(sdk.pb.HistoryEvent));
    const scheduled = build?.(events[1]!);
    expect(scheduled).toBeInstanceOf(sdk.pb.HistoryEvent);
    expect(scheduled.getEventid()).toBe(3);
    expect(scheduled.getTaskscheduled().getName()).toBe("charge");
    expect(build?.(events[0]!).getTimestamp().toDate().toISOString()).toBe(at);
  });

  it("lean events read exactly like setter-built events for everything the executor reads", () => {
    for (const event of events) {
      const lean = converter.convert(event, false);
      const full = converter.convert(event, true);
      expect(lean).toBeInstanceOf(sdk.pb.HistoryEvent);
      expect(lean.getEventtypeCase()).toBe(full.getEventtypeCase());
      expect(executorView(lean)).toEqual(executorView(full));
    }
    const started = converter.convert(events[0]!, false);
    expect(started.getTimestamp().toDate().toISOString()).toBe(at);
    const fired = converter.convert(events[5]!, false);
    expect(fired.getTimerfired().getFireat().toDate().toISOString()).toBe("2024-05-06T08:00:00.500Z");
    expect(converter.convert(events[3]!, false).getTaskcompleted().getResult()).toBeUndefined();
  });

  it("events built after the first of their kind answer their kind at once, exactly as the SDK computes it", () => {
    const fresh = new ProtobufConverter(sdk);
    const computeCase = sdk.pb.HistoryEvent.prototype.getEventtypeCase;
    for (let round = 0; round < 2; round++) {
      for (const event of events) {
        for (const built of [fresh.convert(event, false), fresh.convert(event, true)]) {
          expect(built).toBeInstanceOf(sdk.pb.HistoryEvent);
          expect(built.getEventtypeCase(), event.kind).toBe(computeCase.call(built));
          expect(built.getEventtypeCase()).not.toBe(0);
          // From the second event of a kind on, the case is fixed (the class is dtcheck's subclass).
          if (round === 1) expect(Object.getPrototypeOf(built)).not.toBe(sdk.pb.HistoryEvent.prototype);
        }
      }
    }
  });
});
