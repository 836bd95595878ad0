import { describe, expect, it } from "vitest";
import { InputError, codecFor, parseHistoryText, readHistoryFile, writeHistory } from "../../src/index.js";

const file = "orders/h.json";

/** The exact one-line message parseHistoryText gives for a text, asserting it is an InputError. */
function messageFor(text: string): string {
  try {
    parseHistoryText(text, { file });
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).file).toBe(file);
    const message = (error as Error).message;
    expect(message).not.toContain("\n");
    return message;
  }
  throw new Error("expected an InputError");
}

const START = '{"eventId":-1,"orchestratorStarted":{}},{"eventId":-1,"executionStarted":{"name":"A"}}';

describe("every validation error is one line naming the file and the event", () => {
  it("empty file", () => {
    expect(messageFor("  \n")).toBe(
      "orders/h.json: the file is empty; expected a history as JSON (an array of events or an object holding one) or JSONL (one event per line)",
    );
  });

  it("history with no events", () => {
    expect(messageFor('{"events": []}')).toBe("orders/h.json: the history has no events; export it again, or check that this is the right file");
  });

  it("malformed JSON gives line and column", () => {
    expect(messageFor('[\n  {"eventId": 1,\n   "timestamp": }\n]')).toBe('orders/h.json: malformed JSON at line 3, column 17: expected a JSON value, found "}"');
  });

  it("malformed JSONL line", () => {
    expect(messageFor('{"eventId":-1,"type":"OrchestratorStarted"}\n{"eventId":-1 "type":"X"}\n{"eventId":1}\n')).toBe(
      `orders/h.json: malformed JSON on line 2, column 15: expected ',' or '}', found "\\""; each JSONL line must be one complete JSON event`,
    );
  });

  it("truncated JSON file", () => {
    expect(messageFor(`[\n  {"eventId": -1, "orchestratorStarted": {}},\n  {"eventId": -1, "execu`)).toBe(
      "orders/h.json: the JSON ends early at line 3, column 25 (unexpected end of input); the file looks truncated, export the history again",
    );
  });

  it("truncated JSONL file", () => {
    expect(messageFor('{"eventId":-1,"type":"OrchestratorStarted"}\n{"eventId":-1,"type":"Execu')).toBe(
      "orders/h.json: line 2 (the last) ends in the middle of a JSON value at column 28; the file looks truncated, export the history again",
    );
  });

  it("unknown format lists the accepted ones", () => {
    const message = messageFor('[{"id": 1, "what": "hello"}]');
    expect(message).toMatch(/^orders\/h\.json: not a history in any known format; accepted formats are protobuf-json: /);
    for (const format of ["friendly:", "df-wire:", "df-http:"]) expect(message).toContain(format);
  });

  it("unknown event type, per format", () => {
    expect(messageFor(`[${START},{"eventId":1,"activityScheduled":{"name":"x"}}]`)).toMatch(
      /^orders\/h\.json: event 2: unknown event type "activityScheduled"; expected one of: executionStarted, executionCompleted, /,
    );
    expect(messageFor('[{"eventId":-1,"type":"OrchestratorStarted"},{"eventId":-1,"type":"ActivityScheduled"}]')).toMatch(
      /^orders\/h\.json: event 1: unknown event type "ActivityScheduled"; expected one of: ExecutionStarted, /,
    );
    expect(messageFor('[{"EventType":12,"EventId":-1},{"EventType":99,"EventId":-1}]')).toMatch(
      /^orders\/h\.json: event 1: unknown EventType 99; expected a number or name: 0 ExecutionStarted, 1 ExecutionCompleted, .*, 21 ExecutionRewound$/,
    );
    expect(
      messageFor('{"historyEvents":[{"EventType":"ExecutionStarted","FunctionName":"A","Timestamp":"2026-03-02T10:00:00Z"},{"EventType":"ActivityDone"}]}'),
    ).toMatch(/^orders\/h\.json: event 1: unknown event type "ActivityDone" for the Durable Functions HTTP API history; expected one of: /);
  });

  it("completion that refers to no scheduled task", () => {
    expect(messageFor(`[${START},{"eventId":1,"taskScheduled":{"name":"x"}},{"eventId":-1,"taskCompleted":{"taskScheduledId":2}}]`)).toBe(
      "orders/h.json: event 3: taskCompleted refers to taskScheduledId 2, but no earlier taskScheduled event has eventId 2; the history is incomplete or was edited, export it again",
    );
    expect(messageFor(`[${START},{"eventId":1,"taskScheduled":{"name":"x"}},{"eventId":-1,"timerFired":{"timerId":1,"fireAt":"2026-03-02T10:00:00Z"}}]`)).toBe(
      "orders/h.json: event 3: timerFired refers to timerId 1, but eventId 1 is a taskScheduled, not a timerCreated; the history is incomplete or was edited, export it again",
    );
    expect(
      messageFor(
        '{"historyEvents":[{"EventType":"ExecutionStarted","FunctionName":"A","Timestamp":"2026-03-02T10:00:00Z"},{"EventType":"TimerFired","FireAt":"2026-03-02T10:05:00Z","Timestamp":"2026-03-02T10:05:00Z"}]}',
      ),
    ).toBe(
      "orders/h.json: historyEvents[1]: TimerFired with FireAt 2026-03-02T10:05:00Z matches no earlier TimerCreated; the history is incomplete, fetch it again with showHistory=true",
    );
  });

  it("missing executionStarted", () => {
    expect(messageFor('[{"eventId":-1,"orchestratorStarted":{}},{"eventId":1,"taskScheduled":{"name":"x"}}]')).toBe(
      "orders/h.json: no executionStarted event in events 0-1; a history begins with orchestratorStarted and executionStarted, so the start of the file is missing",
    );
  });

  it("timestamp that is not a date", () => {
    expect(messageFor('[{"eventId":-1,"timestamp":"yesterday","orchestratorStarted":{}}]')).toBe(
      'orders/h.json: event 0: field "timestamp" is not a date: "yesterday"; expected an ISO-8601 timestamp such as "2024-05-01T12:00:00.000Z"',
    );
    expect(messageFor('[{"EventType":12,"EventId":-1,"Timestamp":"2026-13-45T10:00:00Z"}]')).toBe(
      'orders/h.json: event 0: field "Timestamp" is not a date: "2026-13-45T10:00:00Z"; expected an ISO-8601 timestamp such as "2024-05-01T12:00:00.000Z"',
    );
  });

  it("wrong field types", () => {
    expect(messageFor('[{"eventId":-1,"type":"OrchestratorStarted"},{"eventId":"one","type":"ExecutionStarted","name":"A"}]')).toBe(
      'orders/h.json: event 1: field "eventId" must be an integer but is a string (friendly format)',
    );
    expect(messageFor('[{"EventType":12,"EventId":-1},{"EventType":0,"EventId":-1,"Name":42}]')).toBe(
      'orders/h.json: event 1: field "Name" must be a string but is a number (df-wire format)',
    );
    expect(messageFor('[{"eventId":-1,"type":"OrchestratorStarted"}, 5]')).toBe("orders/h.json: event 1: expected an event object but found a number");
    expect(messageFor('[{"eventId":-1,"orchestratorStarted":{},"orchestratorCompleted":{}}]')).toBe(
      'orders/h.json: event 0: has two event types, "orchestratorStarted" and "orchestratorCompleted"; a HistoryEvent holds exactly one',
    );
    expect(messageFor(`[${START},{"eventId":1,"taskFailed":{"taskScheduledId":1}}]`)).toBe(
      'orders/h.json: event 2: "failureDetails" is missing; a failed task needs failureDetails with errorType and errorMessage',
    );
  });

  it("missing file, unknown format name, and an event a format cannot hold", async () => {
    await expect(readHistoryFile("/nonexistent/h.json")).rejects.toThrow(new InputError("no such file; check the path", { file: "/nonexistent/h.json" }));
    expect(() => codecFor("xml", file)).toThrow('orders/h.json: unknown history format "xml"; use one of: protobuf-json, friendly, df-wire, df-http');
    const entity = { events: [{ kind: "entityLockGranted" as const, eventId: -1, payload: { criticalSectionId: "c1" } }], source: { file } };
    expect(() => writeHistory(entity, "df-wire")).toThrow(
      "orders/h.json: event 0: the Durable Functions wire format has no entityLockGranted event (entities travel as EventSent/EventRaised there); write this history as protobuf-json or friendly instead",
    );
    expect(() => writeHistory(entity, "df-http")).toThrow(
      "orders/h.json: event 0: the Durable Functions HTTP API history has no entityLockGranted event; write this history as protobuf-json or friendly instead",
    );
  });
});
