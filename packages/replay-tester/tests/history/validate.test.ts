import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { InputError, parseHistoryText, validateHistory, writeHistory } from "../../src/index.js";
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
    expect(validateHistory(history)).toBeUndefined();
    // What makes it valid is the second scheduling: without it the second completion is a duplicate.
    const unscheduled = events.filter((_, i) => i !== 5);
    expect(() => validateHistory({ events: unscheduled })).toThrow(
      "event 5: taskCompleted completes taskScheduled 1 a second time (event 3 already completed it); a task finishes once, so the history was duplicated or edited: remove one of them or export it again",
    );
  });
});

/*
 * What the runtimes reject, on a real golden (the chaining app) corrupted the way files get
 * corrupted, in every lossless format: the same one line, naming the same event.
 */
const APPS = fileURLToPath(new URL("../../../../fixtures/apps/", import.meta.url));
const golden = (sdk: string) =>
  parseHistoryText(readFileSync(join(APPS, sdk, "chaining/histories/onboardUser.protobuf-json.json"), "utf8"), { file: "golden.json" }).events;

/** The message each lossless format gives for the same corrupted events (written without validating). */
function messagesFor(events: HistoryEvent[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const format of ["protobuf-json", "friendly", "df-wire"] as const) out[format] = messageFor(writeHistory({ events }, format));
  return out;
}
const inEveryFormat = (message: string) => ({ "protobuf-json": message, friendly: message, "df-wire": message });
const LOSSLESS = ["protobuf-json", "friendly", "df-wire"] as const;

describe("validateHistory: what the runtime rejects, in every lossless format", () => {
  it("a history appended twice: a second executionStarted, as DTFx names it", () => {
    const events = golden("durabletask");
    expect(messagesFor([...events, ...events])).toEqual(
      inEveryFormat(
        'orders/h.json: event 17: a second executionStarted (event 1 already started this execution); a history holds one execution, and the runtime rejects this one ("Multiple ExecutionStartedEvent found, potential corruption in state storage"): the history was appended twice or two executions were joined, keep one',
      ),
    );
  });

  it("a duplicated executionCompleted", () => {
    const events = golden("durabletask");
    expect(messagesFor([...events.slice(0, 15), events[14]!, events[15]!])).toEqual(
      inEveryFormat(
        'orders/h.json: event 15: a second executionCompleted (event 14 already completed this execution); an execution completes once, and the runtime rejects this one ("Multiple ExecutionCompletedEvent found, potential corruption in state storage"): the history was appended twice or edited, keep one',
      ),
    );
  });

  it("events after the orchestration completed", () => {
    const events = golden("durabletask");
    const late: HistoryEvent = { kind: "eventRaised", eventId: -1, timestamp: events[15]!.timestamp, name: "Late", input: "1" };
    expect(messagesFor([...events.slice(0, 15), late, events[15]!])).toEqual(
      inEveryFormat(
        "orders/h.json: event 15: eventRaised after the executionCompleted at event 14; a runtime writes nothing into a history after the orchestration completed, so the history was appended to or edited: remove the events after it or export it again",
      ),
    );
  });

  it("a call before the executionStarted", () => {
    const events = golden("durabletask");
    expect(messagesFor([events[0]!, events[2]!, events[1]!, ...events.slice(3)])).toEqual(
      inEveryFormat(
        "orders/h.json: event 1: taskScheduled before the executionStarted event; a history begins with orchestratorStarted and executionStarted, so the start of the file is missing or reordered: export it again",
      ),
    );
  });

  it("a result moved after the call that needs it, inside an episode the runtime closed", () => {
    const events = golden("durabletask");
    // Episode 4-7 becomes orchestratorStarted, taskScheduled 2, taskCompleted 1, orchestratorCompleted.
    const moved = [...events.slice(0, 5), events[6]!, events[5]!, ...events.slice(7)];
    expect(messagesFor(moved)).toEqual(
      inEveryFormat(
        "orders/h.json: event 6: taskCompleted comes after the orchestrator's actions (event 5) in the episode of events 4-7; the runtime delivers an episode's events before the orchestrator acts on them, so the events were reordered: export the history again",
      ),
    );
  });

  it("the histories a runtime writes pass: every golden, and the SDK's in-memory runtime's shape (no orchestratorCompleted)", () => {
    // Accepted: validateHistory returns nothing, and each lossless format reads the events back
    // (parsing validates) with none lost or reordered.
    const accepted = (events: HistoryEvent[]) => ({
      returned: validateHistory({ events }),
      readBack: Object.fromEntries(LOSSLESS.map((format) => [format, parseHistoryText(writeHistory({ events }, format), { file }).events.map((e) => e.kind).join(",")])),
    });
    const everyFormat = (kinds: string) => Object.fromEntries(LOSSLESS.map((format) => [format, kinds]));
    const chainKinds = (opened: string) =>
      `${opened}orchestratorStarted,executionStarted,taskScheduled,orchestratorCompleted,orchestratorStarted,taskCompleted,taskScheduled,orchestratorCompleted,orchestratorStarted,taskCompleted,taskScheduled,orchestratorCompleted,orchestratorStarted,taskCompleted,executionCompleted,orchestratorCompleted`;
    for (const sdk of ["durabletask", "durable-functions", "dapr"]) {
      expect({ sdk, ...accepted(golden(sdk)) }).toEqual({ sdk, returned: undefined, readBack: everyFormat(chainKinds("")) });
    }
    const unbracketed = golden("durabletask").filter((e, i) => e.kind !== "orchestratorCompleted" && (e.kind !== "orchestratorStarted" || i === 0));
    expect(accepted(unbracketed)).toEqual({ returned: undefined, readBack: everyFormat("orchestratorStarted,executionStarted,taskScheduled,taskCompleted,taskScheduled,taskCompleted,taskScheduled,taskCompleted,executionCompleted") });
  });
});
