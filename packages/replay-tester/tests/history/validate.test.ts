import { describe, expect, it } from "vitest";
import { InputError, parseHistoryText, validateHistory } from "../../src/index.js";
import type { History, HistoryEvent } from "../../src/history/model.js";

const file = "orders/h.json";
const START = '{"eventId":-1,"orchestratorStarted":{}},{"eventId":-1,"executionStarted":{"name":"A"}}';

function messageFor(text: string): string {
  try {
    parseHistoryText(text, { file });
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error("expected an InputError");
}

describe("validateHistory: a task finishes once", () => {
  it("two taskCompleted for one taskScheduled id is an error naming both events", () => {
    const text = `[${START},{"eventId":1,"taskScheduled":{"name":"f"}},{"eventId":-1,"taskCompleted":{"taskScheduledId":1,"result":"1"}},{"eventId":-1,"taskCompleted":{"taskScheduledId":1,"result":"2"}}]`;
    expect(messageFor(text)).toBe(
      "orders/h.json: event 4: taskCompleted completes taskScheduled 1 a second time (event 3 already completed it); a task finishes once, so the history was duplicated or edited: remove one of them or export it again",
    );
  });

  it("a failure after a completion of the same task, and a sub-orchestration completed twice, are errors too", () => {
    const failed = `[${START},{"eventId":1,"taskScheduled":{"name":"f"}},{"eventId":-1,"taskCompleted":{"taskScheduledId":1}},{"eventId":-1,"taskFailed":{"taskScheduledId":1,"failureDetails":{"errorType":"E","errorMessage":"m"}}}]`;
    expect(messageFor(failed)).toMatch(/^orders\/h\.json: event 4: taskFailed completes taskScheduled 1 a second time \(event 3 already completed it\)/);
    const sub = `[${START},{"eventId":1,"subOrchestrationInstanceCreated":{"name":"c","instanceId":"x"}},{"eventId":-1,"subOrchestrationInstanceCompleted":{"taskScheduledId":1}},{"eventId":-1,"orchestratorStarted":{}},{"eventId":-1,"subOrchestrationInstanceCompleted":{"taskScheduledId":1}}]`;
    expect(messageFor(sub)).toMatch(/^orders\/h\.json: event 5: subOrchestrationInstanceCompleted completes subOrchestrationInstanceCreated 1 a second time \(event 3/);
  });

  it("a timer that fires twice is an error", () => {
    const text = `[${START},{"eventId":1,"timerCreated":{"fireAt":"2024-01-01T00:00:01Z"}},{"eventId":-1,"timerFired":{"timerId":1,"fireAt":"2024-01-01T00:00:01Z"}},{"eventId":-1,"timerFired":{"timerId":1,"fireAt":"2024-01-01T00:00:01Z"}}]`;
    expect(messageFor(text)).toBe(
      "orders/h.json: event 4: timerFired completes timerCreated 1 a second time (event 3 already fired it); a task finishes once, so the history was duplicated or edited: remove one of them or export it again",
    );
  });

  it("a task scheduled again under the same id (as after a rewind) may complete again", () => {
    const at = "2024-01-01T00:00:00.000Z";
    const events: HistoryEvent[] = [
      { kind: "orchestratorStarted", eventId: -1, timestamp: at },
      { kind: "executionStarted", eventId: -1, timestamp: at, name: "A" },
      { kind: "taskScheduled", eventId: 1, timestamp: at, name: "f" },
      { kind: "taskCompleted", eventId: -1, timestamp: at, taskScheduledId: 1 },
      { kind: "executionRewound", eventId: -1, timestamp: at },
      { kind: "taskScheduled", eventId: 1, timestamp: at, name: "f" },
      { kind: "taskCompleted", eventId: -1, timestamp: at, taskScheduledId: 1 },
    ];
    const history: History = { events };
    expect(() => validateHistory(history)).not.toThrow();
  });
});
