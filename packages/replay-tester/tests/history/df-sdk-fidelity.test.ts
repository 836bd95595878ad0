/**
 * Fidelity against durable-functions: a history built with the SDK's own history event classes
 * (lib/src/history, as its tests build them) and serialised to JSON reads as df-wire, and dtcheck
 * writes every field the SDK set back with the same value.
 */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { parseHistoryText, parseHistoryValue, writeHistory } from "../../src/index.js";

const require = createRequire(import.meta.url);
type EventClass = new (options: Record<string, unknown>) => Record<string, unknown>;
const sdk = (name: string) => (require(`durable-functions/lib/src/history/${name}.js`) as Record<string, EventClass>)[name]!;

function sdkHistory(): Record<string, unknown>[] {
  let ms = Date.UTC(2026, 2, 2, 10);
  const at = (isPlayed: boolean) => ({ eventId: -1, timestamp: new Date((ms += 500)), isPlayed });
  const id = (eventId: number, isPlayed: boolean) => ({ ...at(isPlayed), eventId });
  return [
    new (sdk("OrchestratorStartedEvent"))(at(true)),
    new (sdk("ExecutionStartedEvent"))({ ...at(true), name: "ProcessOrder", input: '{"orderId":42}', version: "" }),
    new (sdk("TaskScheduledEvent"))({ ...id(0, true), name: "ChargeCard", input: '{"amount":12.5}' }),
    new (sdk("OrchestratorCompletedEvent"))(at(true)),
    new (sdk("OrchestratorStartedEvent"))(at(true)),
    new (sdk("TaskFailedEvent"))({ ...at(true), taskScheduledId: 0, reason: "card declined", details: "at chargeCard (activities.js:18)" }),
    new (sdk("TimerCreatedEvent"))({ ...id(1, true), fireAt: new Date(Date.UTC(2026, 2, 2, 10, 5)) }),
    new (sdk("OrchestratorCompletedEvent"))(at(true)),
    new (sdk("OrchestratorStartedEvent"))(at(true)),
    new (sdk("TimerFiredEvent"))({ ...at(true), timerId: 1, fireAt: new Date(Date.UTC(2026, 2, 2, 10, 5)) }),
    new (sdk("TaskScheduledEvent"))({ ...id(2, true), name: "ChargeCard", input: '{"amount":12.5}' }),
    new (sdk("SubOrchestrationInstanceCreatedEvent"))({ ...id(3, true), name: "ShipOrder", instanceId: "order-42:ship", input: "42" }),
    new (sdk("EventSentEvent"))({ ...id(4, true), name: "Audit", instanceId: "audit", input: '"charged"' }),
    new (sdk("OrchestratorCompletedEvent"))(at(true)),
    new (sdk("OrchestratorStartedEvent"))(at(false)),
    new (sdk("TaskCompletedEvent"))({ ...at(false), taskScheduledId: 2, result: '{"receipt":"r-981"}' }),
    new (sdk("SubOrchestrationInstanceCompletedEvent"))({ ...at(false), taskScheduledId: 3, result: '"TRK-7"' }),
    new (sdk("EventRaisedEvent"))({ ...at(false), name: "DeliveryConfirmed", input: '{"signedBy":"Ana"}' }),
  ];
}

describe("fidelity against durable-functions' own history event classes", () => {
  it("reads the SDK's events as df-wire and writes back every field it set", () => {
    const sdkJson = JSON.parse(JSON.stringify(sdkHistory())) as Record<string, unknown>[];
    const history = parseHistoryValue(sdkJson);
    expect(history.source?.format).toBe("df-wire");
    expect(history.events.map((e) => e.kind)).toEqual([
      "orchestratorStarted",
      "executionStarted",
      "taskScheduled",
      "orchestratorCompleted",
      "orchestratorStarted",
      "taskFailed",
      "timerCreated",
      "orchestratorCompleted",
      "orchestratorStarted",
      "timerFired",
      "taskScheduled",
      "subOrchestrationInstanceCreated",
      "eventSent",
      "orchestratorCompleted",
      "orchestratorStarted",
      "taskCompleted",
      "subOrchestrationInstanceCompleted",
      "eventRaised",
    ]);
    expect(history.events[5]).toMatchObject({ taskScheduledId: 0, failure: { errorMessage: "card declined", stackTrace: "at chargeCard (activities.js:18)" } });
    const written = JSON.parse(writeHistory(history, "df-wire")) as Record<string, unknown>[];
    sdkJson.forEach((event, i) => {
      // IsProcessed is the SDK's own bookkeeping, not part of what the host sends.
      const { IsProcessed: _ignored, ...fields } = event;
      expect(written[i], `event ${i}`).toMatchObject(fields);
    });
  });

  it("round-trips through protobuf-json and back to the same df-wire events", () => {
    const sdkJson = JSON.parse(JSON.stringify(sdkHistory())) as Record<string, unknown>[];
    const viaProto = parseHistoryText(writeHistory(parseHistoryValue(sdkJson), "protobuf-json"));
    expect(viaProto.source?.format).toBe("protobuf-json");
    const back = JSON.parse(writeHistory(viaProto, "df-wire")) as Record<string, unknown>[];
    sdkJson.forEach((event, i) => {
      const { IsProcessed: _ignored, ...fields } = event;
      expect(back[i], `event ${i}`).toMatchObject(fields);
    });
  });
});
