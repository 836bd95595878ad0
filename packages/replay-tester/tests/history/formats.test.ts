import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it, onTestFinished } from "vitest";
import {
  convertHistory,
  detectFormat,
  parseHistoryText,
  readHistoryFile,
  splitEpisodes,
  writeHistory,
  type History,
  type HistoryEvent,
  type HistoryFormat,
} from "../../src/index.js";

const dir = fileURLToPath(new URL("../../../../fixtures/histories/formats/", import.meta.url));
const FIXTURES: Record<HistoryFormat, string> = {
  "protobuf-json": `${dir}process-order.protobuf.json`,
  friendly: `${dir}process-order.friendly.jsonl`,
  "df-wire": `${dir}process-order.df-wire.json`,
  "df-http": `${dir}process-order.df-http.json`,
};

/** A compact, readable signature of a history: kind, ids and names per event. */
function outline(events: readonly HistoryEvent[]): string[] {
  return events.map((e) => {
    const parts: string[] = [e.kind];
    if (e.eventId !== -1) parts.push(`#${e.eventId}`);
    if ("name" in e) parts.push(e.name);
    if ("taskScheduledId" in e) parts.push(`->${e.taskScheduledId}`);
    if (e.kind === "timerFired") parts.push(`->${e.timerId}`);
    return parts.join(" ");
  });
}

describe("each format parses its realistic sample", () => {
  it("protobuf-json: every field of the order history, including retry and sub-orchestration", async () => {
    const history = await readHistoryFile(FIXTURES["protobuf-json"]);
    expect(history.source).toEqual({ file: FIXTURES["protobuf-json"], format: "protobuf-json" });
    expect(splitEpisodes(history.events)).toHaveLength(7);
    expect(history.events[1]).toEqual({
      kind: "executionStarted",
      eventId: -1,
      timestamp: "2026-03-02T10:00:00.000Z",
      name: "ProcessOrder",
      instanceId: "order-42",
      executionId: "7f1c2a",
      input: '{"orderId": 42, "items": ["apple", "pear"]}',
    });
    expect(history.events[9]).toEqual({
      kind: "taskFailed",
      eventId: -1,
      timestamp: "2026-03-02T10:00:01.900Z",
      taskScheduledId: 2,
      failure: {
        errorType: "PaymentDeclinedError",
        errorMessage: "card declined",
        stackTrace: "PaymentDeclinedError: card declined\n    at chargeCard (/app/activities.js:18:11)",
      },
    });
    expect(history.events[13]).toMatchObject({ kind: "timerFired", timerId: 3, fireAt: "2026-03-02T10:00:07.003Z" });
    expect(history.events[18]).toMatchObject({ kind: "subOrchestrationInstanceCreated", eventId: 5, name: "ShipOrder", instanceId: "order-42:ship" });
    expect(history.events[24]).toMatchObject({ kind: "eventRaised", name: "DeliveryConfirmed", input: '{"signedBy": "Ana"}' });
    expect(history.events[25]).toMatchObject({ kind: "executionCompleted", status: "completed", result: '{"status": "delivered", "trackingId": "TRK-7"}' });
  });

  it("friendly JSONL, with the SDK's serialised FailureDetails, reads to the same model as protobuf-json", async () => {
    const friendly = await readHistoryFile(FIXTURES.friendly);
    const proto = await readHistoryFile(FIXTURES["protobuf-json"]);
    expect(friendly.source?.format).toBe("friendly");
    expect(friendly.events).toEqual(proto.events);
  });

  it("df-wire: numeric EventType, 0-based sequence ids, Reason/Details and FailureDetails", async () => {
    const history = await readHistoryFile(FIXTURES["df-wire"]);
    expect(history.source?.format).toBe("df-wire");
    expect(outline(history.events).filter((line) => !line.startsWith("orchestrator"))).toEqual([
      "executionStarted ProcessOrder",
      "taskScheduled #0 ValidateOrder",
      "taskCompleted ->0",
      "taskScheduled #1 ChargeCard",
      "taskFailed ->1",
      "timerCreated #2",
      "timerFired ->2",
      "taskScheduled #3 ChargeCard",
      "taskCompleted ->3",
      "subOrchestrationInstanceCreated #4 ShipOrder",
      "subOrchestrationInstanceCompleted ->4",
      "eventRaised DeliveryConfirmed",
    ]);
    expect(history.events[9]).toMatchObject({ failure: { errorType: "PaymentDeclinedError", errorMessage: "card declined", isNonRetriable: false } });
    expect(history.events[1]).toMatchObject({ timestamp: "2026-03-02T10:00:00.0001234Z" });
  });

  it("df-http: rebuilds scheduling events, ids, timer ids and episodes that match the host's own history", async () => {
    const http = await readHistoryFile(FIXTURES["df-http"]);
    const wire = await readHistoryFile(FIXTURES["df-wire"]);
    expect(http.source?.format).toBe("df-http");
    // The wire sample is the same instance while it waited for DeliveryConfirmed; up to there the
    // rebuilt history has the same events, ids, names and payloads.
    const upToWait = 22;
    const strip = (events: HistoryEvent[]) => events.slice(0, upToWait).map((e) => ({ ...e, timestamp: undefined }));
    const rebuilt = strip(http.events).map((e) => (e.kind === "subOrchestrationInstanceCreated" ? { ...e, instanceId: "order-42:ship", input: '{"orderId": 42}' } : e));
    const expected = strip(wire.events).map((e) => {
      // The HTTP API shows payloads as JSON values, so their text comes back re-serialised; it drops
      // the inputs of scheduled calls and external events, and the execution id.
      if ("input" in e && e.kind !== "executionStarted" && e.kind !== "subOrchestrationInstanceCreated") return { ...e, input: undefined };
      if (e.kind === "executionStarted") return { ...e, input: '{"orderId":42,"items":["apple","pear"]}', executionId: undefined };
      if (e.kind === "taskCompleted" || e.kind === "subOrchestrationInstanceCompleted") return { ...e, result: e.result && JSON.stringify(JSON.parse(e.result)) };
      if (e.kind === "taskFailed") return { ...e, failure: { errorType: "", errorMessage: "card declined", stackTrace: e.failure.stackTrace } };
      return e;
    });
    expect(rebuilt).toEqual(expected);
    expect(http.events.at(-2)).toMatchObject({ kind: "executionCompleted", status: "completed", result: '{"status":"delivered","trackingId":"TRK-7"}' });
    // Rebuilt events are flagged: every scheduling event, timer id and episode boundary.
    const flagged = new Map(http.reconstructions!.map((r) => [r.eventIndex, r.reason]));
    expect(flagged.get(2)).toBe(
      'taskScheduled "ValidateOrder" rebuilt from the TaskCompleted at historyEvents[1] (FunctionName + ScheduledTime); its eventId and position are reconstructed, its input is unknown',
    );
    expect(flagged.get(13)).toBe("timerFired timerId 2 reconstructed by matching FireAt");
    expect(flagged.get(18)).toContain("its input is unknown, and so is its instanceId");
  });

  it("detectFormat names the format of each sample", async () => {
    for (const [format, file] of Object.entries(FIXTURES)) {
      const text = await readFile(file, "utf8");
      const value = file.endsWith(".jsonl") ? text.trim().split("\n").map((line) => JSON.parse(line)) : JSON.parse(text);
      expect(detectFormat(value)).toBe(format);
    }
    expect(detectFormat({ hello: "world" })).toBeUndefined();
  });
});

describe("round trips on the samples", () => {
  const lossless: HistoryFormat[] = ["protobuf-json", "friendly", "df-wire"];
  for (const source of lossless) {
    for (const target of lossless) {
      it(`${source} -> ${target} -> ${source} keeps the model`, async () => {
        const original = await readHistoryFile(FIXTURES[source]);
        const converted = convertHistory(await readFile(FIXTURES[source], "utf8"), { to: target });
        const there = parseHistoryText(converted);
        expect(there.source?.format).toBe(target);
        expect(there.events).toEqual(original.events);
        const back = parseHistoryText(writeHistory(there, source, { jsonl: source === "friendly" }));
        expect(back.events).toEqual(original.events);
      });
    }
  }

  it("df-wire written by dtcheck reproduces the host's sample byte for byte, IsPlayed included", async () => {
    const text = await readFile(FIXTURES["df-wire"], "utf8");
    const written = writeHistory(parseHistoryText(text), "df-wire");
    expect(JSON.parse(written)).toEqual(JSON.parse(text));
  });

  it("df-http: parse -> write -> parse gives the same rebuilt model and the same reconstructions", async () => {
    const once: History = await readHistoryFile(FIXTURES["df-http"]);
    const twice = parseHistoryText(writeHistory(once, "df-http"));
    expect(twice.events).toEqual(once.events);
    expect(twice.reconstructions).toEqual(once.reconstructions);
  });

  it("ignores a UTF-8 byte-order mark, as Windows tools write it", async () => {
    const text = await readFile(FIXTURES["df-wire"], "utf8");
    expect(parseHistoryText(`\uFEFF${text}`).events).toEqual(parseHistoryText(text).events);
  });

  it("writes JSONL one event per line and reads it back", async () => {
    const history = await readHistoryFile(FIXTURES["protobuf-json"]);
    const jsonl = writeHistory(history, "friendly", { jsonl: true });
    expect(jsonl.trim().split("\n")).toHaveLength(history.events.length);
    expect(parseHistoryText(jsonl).events).toEqual(history.events);
  });
});

describe("df-http reconstruction details", () => {
  /** A fan-out of three calls scheduled at the same instant: B then A completed, C still pending. */
  const fanOut = {
    name: "FanOut",
    instanceId: "fan-1",
    runtimeStatus: "Running",
    input: [1, 2, 3],
    historyEvents: [
      { EventType: "ExecutionStarted", FunctionName: "FanOut", Timestamp: "2026-03-02T10:00:00.0000000Z" },
      { EventType: "TaskScheduled", Name: "C", Timestamp: "2026-03-02T10:00:00.0100000Z" },
      { EventType: "EventRaised", Name: "Approve", Timestamp: "2026-03-02T10:00:00.0050000Z" },
      { EventType: "TaskCompleted", FunctionName: "B", Result: 2, ScheduledTime: "2026-03-02T10:00:00.0100000Z", Timestamp: "2026-03-02T10:00:01.0000000Z" },
      { EventType: "TaskCompleted", FunctionName: "A", Result: 1, ScheduledTime: "2026-03-02T10:00:00.0100000Z", Timestamp: "2026-03-02T10:00:02.0000000Z" },
    ],
  };

  it("keeps a pending call where the API lists it, puts completed ones before it, and says the order is a guess", () => {
    const history = parseHistoryText(JSON.stringify(fanOut), { file: "fan.json" });
    expect(outline(history.events)).toEqual([
      "orchestratorStarted",
      "executionStarted FanOut",
      "taskScheduled #0 B",
      "taskScheduled #1 A",
      "taskScheduled #2 C",
      "orchestratorCompleted",
      "orchestratorStarted",
      "eventRaised Approve",
      "taskCompleted ->0",
      "taskCompleted ->1",
      "orchestratorCompleted",
    ]);
    expect(history.events[1]).toMatchObject({ instanceId: "fan-1", input: "[1,2,3]" });
    const reasons = (index: number) => history.reconstructions!.filter((r) => r.eventIndex === index).map((r) => r.reason);
    expect(reasons(2)).toContain(
      "other actions share its ScheduledTime, so its order among them (and so its sequence number) is a guess: completions listed first are placed first",
    );
    expect(reasons(4)).toEqual(["taskScheduled still pending; its eventId is a reconstructed sequence number and its input is not shown by the HTTP API"]);
    expect(reasons(7)).toEqual(['eventRaised "Approve" input is not shown by the HTTP API; the replay sees no payload']);
  });

  it("a message created after an action is placed after it, whatever the listing's neighbours", () => {
    const history = parseHistoryText(
      JSON.stringify({
        historyEvents: [
          { EventType: "ExecutionStarted", FunctionName: "Seq", Timestamp: "2026-03-02T10:00:00Z" },
          { EventType: "TaskCompleted", FunctionName: "First", Result: "a", ScheduledTime: "2026-03-02T10:00:01Z", Timestamp: "2026-03-02T10:00:02Z" },
          { EventType: "TaskCompleted", FunctionName: "Second", Result: "b", ScheduledTime: "2026-03-02T10:00:03Z", Timestamp: "2026-03-02T10:00:04Z" },
          { EventType: "ExecutionCompleted", OrchestrationStatus: "Completed", Result: "ab", Timestamp: "2026-03-02T10:00:05Z" },
        ],
      }),
    );
    expect(outline(history.events)).toEqual([
      "orchestratorStarted",
      "executionStarted Seq",
      "taskScheduled #0 First",
      "orchestratorCompleted",
      "orchestratorStarted",
      "taskCompleted ->0",
      "taskScheduled #1 Second",
      "orchestratorCompleted",
      "orchestratorStarted",
      "taskCompleted ->1",
      "executionCompleted",
      "orchestratorCompleted",
    ]);
    expect(history.events.map((e) => e.timestamp).filter((t, i) => history.events[i]!.kind === "taskScheduled")).toEqual([
      "2026-03-02T10:00:01Z",
      "2026-03-02T10:00:03Z",
    ]);
  });
});

describe("wrappers and proto3 JSON mapping rules", () => {
  it("protobuf-json: omitted defaults, int32 as strings, numeric enums, offsets, and OrchestratorRequest's pastEvents/newEvents", () => {
    const history = parseHistoryText(
      JSON.stringify({
        pastEvents: [
          { eventId: -1, timestamp: "2026-03-02T12:00:00+02:00", orchestratorStarted: {} },
          { eventId: "-1", executionStarted: { name: "A", input: null } },
          { taskScheduled: { name: "first" } }, // eventId 0 omitted, as proto3 JSON writers do
        ],
        newEvents: [
          { eventId: -1, orchestratorStarted: {} },
          { eventId: -1, taskCompleted: {} }, // taskScheduledId 0 omitted
          { eventId: -1, executionCompleted: { orchestrationStatus: 1, result: '"ok"' } },
        ],
      }),
    );
    expect(history.source?.format).toBe("protobuf-json");
    expect(history.events[0]!.timestamp).toBe("2026-03-02T12:00:00+02:00");
    expect(history.events[1]).toMatchObject({ kind: "executionStarted", eventId: -1, input: undefined });
    expect(history.events[2]).toEqual({ kind: "taskScheduled", eventId: 0, timestamp: undefined, name: "first" });
    expect(history.events[4]).toMatchObject({ kind: "taskCompleted", taskScheduledId: 0 });
    expect(history.events[5]).toMatchObject({ kind: "executionCompleted", status: "completed", result: '"ok"' });
  });

  it("df-wire: the binding's { history: [...] } wrapper and DTFx's ExecutionFailed", () => {
    const history = parseHistoryText(
      JSON.stringify({
        instanceId: "x",
        isReplaying: false,
        history: [
          { EventType: 12, EventId: -1, IsPlayed: false, Timestamp: "2026-03-02T10:00:00Z" },
          { EventType: 0, EventId: -1, IsPlayed: false, Timestamp: "2026-03-02T10:00:00Z", Name: "A" },
          { EventType: 2, EventId: -1, IsPlayed: false, Timestamp: "2026-03-02T10:00:01Z", Result: '"boom"' },
        ],
      }),
    );
    expect(history.source?.format).toBe("df-wire");
    expect(history.events[2]).toMatchObject({ kind: "executionCompleted", status: "failed", result: '"boom"' });
  });

  it("df-wire: EventType names with EventIds (DTFx JSON with a string-enum converter) are df-wire, not df-http", async () => {
    const numeric = JSON.parse(await readFile(FIXTURES["df-wire"], "utf8")) as { EventType: number }[];
    const named = numeric.map((e) => ({ ...e, EventType: ["ExecutionStarted", "ExecutionCompleted", "ExecutionFailed", "ExecutionTerminated", "TaskScheduled", "TaskCompleted", "TaskFailed", "SubOrchestrationInstanceCreated", "SubOrchestrationInstanceCompleted", "SubOrchestrationInstanceFailed", "TimerCreated", "TimerFired", "OrchestratorStarted", "OrchestratorCompleted", "EventSent", "EventRaised"][e.EventType] }));
    const history = parseHistoryText(JSON.stringify(named));
    expect(history.source?.format).toBe("df-wire");
    expect(history.events).toEqual(parseHistoryText(JSON.stringify(numeric)).events);
  });

  it("df-http: a bare historyEvents array, status names in any case", () => {
    const history = parseHistoryText(
      JSON.stringify([
        { EventType: "ExecutionStarted", FunctionName: "A", Timestamp: "2026-03-02T10:00:00Z" },
        { EventType: "ExecutionCompleted", OrchestrationStatus: "failed", Timestamp: "2026-03-02T10:00:01Z", FailureDetails: { ErrorType: "Error", ErrorMessage: "boom" } },
      ]),
    );
    expect(history.source?.format).toBe("df-http");
    expect(history.events.map((e) => e.kind)).toEqual(["orchestratorStarted", "executionStarted", "executionCompleted", "orchestratorCompleted"]);
    expect(history.events[2]).toMatchObject({ status: "failed", failure: { errorType: "Error", errorMessage: "boom" } });
  });
});

describe("compressed exports", () => {
  it("reads the export-history package's gzip-compressed JSONL", async () => {
    const gz = await readHistoryFile(`${dir}process-order.friendly.jsonl.gz`);
    const plain = await readHistoryFile(FIXTURES.friendly);
    expect(gz.source?.format).toBe("friendly");
    expect(gz.events).toEqual(plain.events);
  });

  it("a cut gzip file is reported as truncated", async () => {
    const { mkdtemp, rm, writeFile } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const bytes = await readFile(`${dir}process-order.friendly.jsonl.gz`);
    const folder = await mkdtemp(`${tmpdir()}/dtcheck-`);
    onTestFinished(() => rm(folder, { recursive: true, force: true }));
    const path = `${folder}/cut.jsonl.gz`;
    await writeFile(path, bytes.subarray(0, bytes.length >> 1));
    await expect(readHistoryFile(path)).rejects.toThrow(
      `${path}: is gzip-compressed but does not decompress (unexpected end of file); the file looks truncated, export the history again`,
    );
  });
});
