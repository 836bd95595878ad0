import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseHistoryText, writeHistory } from "../../src/history/index.js";
import { executionStarted, type History } from "../../src/history/model.js";
import { loadModule, pickOrchestrator } from "../../src/load/load-module.js";
import { recordHistory } from "../../src/record/record.js";
import { replayHistory } from "../../src/replay/replay-history.js";

const app = fileURLToPath(new URL("../../../../fixtures/apps/durable-functions/entity-counter/", import.meta.url));
const input = JSON.parse(readFileSync(`${app}input.json`, "utf8")) as unknown;
const record = (entities: object) =>
  recordHistory({ module: `${app}index.ts`, input, stubs: { activities: { publishViews: null }, entities }, instanceId: "df-entities" });

async function replayStrict(history: History) {
  const target = pickOrchestrator(await loadModule(`${app}index.ts`), executionStarted(history)!.name);
  return replayHistory(history, target, { strict: true });
}

describe("Durable Functions entity operations, recorded as the host writes them", () => {
  it("sends each operation as EventSent \"op\" carrying the request, and answers the call with an EventRaised named after its id", async () => {
    const history = await record({ "counter.get": 3 });
    const sent = history.events.flatMap((e) => (e.kind === "eventSent" ? [e] : []));
    expect(sent.map((e) => [e.name, e.instanceId])).toEqual(Array(4).fill(["op", "@counter@/pricing"]));
    const requests = sent.map((e) => JSON.parse(e.input!) as Record<string, unknown>);
    expect(requests.map(({ op, signal, input: arg, parent }) => ({ op, signal, input: arg, parent }))).toEqual([
      ...Array(3).fill({ op: "add", signal: true, input: "1", parent: "df-entities" }),
      { op: "get", signal: undefined, input: undefined, parent: "df-entities" },
    ]);
    const response = history.events.find((e) => e.kind === "eventRaised");
    expect(response).toMatchObject({ name: requests[3]!["id"], input: JSON.stringify({ result: "3" }) });
    expect(history.events.at(-2)).toMatchObject({ kind: "executionCompleted", status: "completed", result: "3" });
  });

  it("the recording replays ok, strictly, in every lossless format", async () => {
    const history = await record({ "counter.get": 3 });
    for (const format of ["df-wire", "protobuf-json", "friendly"] as const) {
      const result = await replayStrict(parseHistoryText(writeHistory(history, format)));
      expect({ format, status: result.status, problem: result.error ?? result.divergence?.message }).toEqual({ format, status: "ok", problem: undefined });
    }
  });

  it("strict replay ignores the host's own request ids and timestamps but not the operation", async () => {
    const history = await record({ "counter.get": 3 });
    // A real host picks other ids (and timestamps): rewrite them consistently, request and response.
    const hostIds = structuredClone(history);
    for (const event of hostIds.events) {
      if (event.kind === "eventSent") {
        const request = JSON.parse(event.input!) as Record<string, unknown>;
        if (request["op"] === "get") {
          for (const other of hostIds.events) if (other.kind === "eventRaised" && other.name === request["id"]) other.name = "host-guid";
        }
        event.input = JSON.stringify({ ...request, id: request["op"] === "get" ? "host-guid" : `host-${event.eventId}`, Timestamp: "2024-01-01T00:00:00.1234567Z" });
      }
    }
    expect((await replayStrict(hostIds)).status).toBe("ok");
    const renamed = structuredClone(history);
    const get = renamed.events.find((e) => e.kind === "eventSent" && e.input?.includes('"op":"get"'));
    if (get?.kind === "eventSent") get.input = get.input!.replace('"op":"get"', '"op":"count"');
    expect((await replayStrict(renamed)).divergence).toMatchObject({ reason: "input", eventIndex: 5, expected: { kind: "sendEvent", name: "op", id: 3 } });
  });

  it("an entity operation that throws reaches the orchestrator as a failed call", async () => {
    const history = await record({ "counter.get": { error: { type: "InvalidOperationException", message: "no total" } } });
    const response = history.events.find((e) => e.kind === "eventRaised");
    expect(response?.kind === "eventRaised" && JSON.parse(response.input!)).toEqual({ result: '"no total"', exceptionType: "InvalidOperationException" });
    // (durable-functions 3.5 then reports the orchestrator's failure with the message "false": its own quirk, reproduced as is)
    expect(history.events.at(-2)).toMatchObject({ kind: "executionCompleted", status: "failed" });
  });
});
