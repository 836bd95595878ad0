import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { InputError } from "../../src/errors.js";
import { parseHistoryText, writeHistory } from "../../src/history/index.js";
import { executionStarted, type History } from "../../src/history/model.js";
import { loadModule, pickOrchestrator } from "../../src/load/load-module.js";
import { recordHistory } from "../../src/record/record.js";
import { replayHistory } from "../../src/replay/replay-history.js";

const app = fileURLToPath(new URL("../../../../fixtures/apps/durabletask/entity-counter/", import.meta.url));
const renamed = fileURLToPath(new URL("./entity-drift/renamed-operation.mjs", import.meta.url));
const input = JSON.parse(readFileSync(`${app}input.json`, "utf8")) as unknown;
const record = (stubs: object) => recordHistory({ module: `${app}worker.ts`, input, stubs, instanceId: "entities-test" });

async function replay(history: History, module: string, strict: boolean) {
  const target = pickOrchestrator(await loadModule(module), executionStarted(history)!.name);
  return replayHistory(history, target, { strict });
}

describe("recording durabletask-js entity operations", () => {
  it("writes signals, the call and its response as the runtime does, answering the call from stubs.entities", async () => {
    const history = await record({ activities: { publishViews: null }, entities: { "Counter.get": 3 } });
    const shape = history.events.filter((e) => e.kind !== "orchestratorStarted" && e.kind !== "orchestratorCompleted").map((e) => {
      if ("payload" in e) return `${e.kind}#${e.eventId} ${String(e.payload["operation"] ?? "")}${e.payload["output"] !== undefined ? `=${String(e.payload["output"])}` : ""}`;
      return `${e.kind}#${e.eventId}`;
    });
    expect(shape).toEqual([
      "executionStarted#-1",
      "entityOperationSignaled#1 add",
      "entityOperationSignaled#2 add",
      "entityOperationSignaled#3 add",
      "entityOperationCalled#4 get",
      "entityOperationCompleted#-1 =3",
      "taskScheduled#5",
      "taskCompleted#-1",
      "executionCompleted#-1",
    ]);
    const called = history.events.find((e) => e.kind === "entityOperationCalled");
    const completed = history.events.find((e) => e.kind === "entityOperationCompleted");
    expect(called && "payload" in called && called.payload).toMatchObject({ targetInstanceId: "@counter@/pricing", parentInstanceId: "entities-test" });
    // The response refers to the call by the requestId the SDK generated (deterministically).
    expect(completed && "payload" in completed && completed.payload["requestId"]).toBe(called && "payload" in called && called.payload["requestId"]);
    expect(history.events.at(-2)).toMatchObject({ kind: "executionCompleted", status: "completed", result: "3" });
  });

  it("the recording replays ok, strictly, from protobuf-json and friendly", async () => {
    const history = await record({ activities: { publishViews: null }, entities: { "counter.get": 3 } });
    for (const format of ["protobuf-json", "friendly"] as const) {
      const parsed = parseHistoryText(writeHistory(history, format));
      const result = await replay(parsed, `${app}worker.ts`, true);
      expect({ format, status: result.status, problem: result.error ?? result.divergence?.message }).toEqual({ format, status: "ok", problem: undefined });
    }
  });

  it("strict replay catches a renamed entity operation the SDK lets through", async () => {
    const history = await record({ activities: { publishViews: null }, entities: { "counter.get": 3 } });
    // The SDK checks only the kind of an entity message, as in production.
    expect((await replay(history, renamed, false)).status).toBe("ok");
    const strict = await replay(history, renamed, true);
    expect(strict.divergence).toMatchObject({
      reason: "wrong-name",
      episode: 0,
      eventIndex: 5,
      expected: { kind: "entity", name: "get", id: 4 },
      produced: { kind: "entity", name: "count", id: 4 },
    });
  });

  it("a failing entity stub fails the call as the runtime reports it", async () => {
    const history = await record({ activities: { publishViews: null }, entities: { "counter.get": { error: { type: "InvalidOperation", message: "no total" } } } });
    const failed = history.events.find((e) => e.kind === "entityOperationFailed");
    expect(failed && "payload" in failed && failed.payload["failureDetails"]).toEqual({ errorType: "InvalidOperation", errorMessage: "no total" });
    expect(history.events.at(-2)).toMatchObject({ kind: "executionCompleted", status: "failed" });
  });

  it("an entity call with no stub is an InputError naming the operation and the section", async () => {
    const error = await record({ activities: { publishViews: null }, entities: { "counter.reset": null } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      'stubs: no stub for entity operation "counter.get" (called on @counter@/pricing); add it to the stubs\' "entities" section (stubbed: counter.reset)',
    );
  });
});
