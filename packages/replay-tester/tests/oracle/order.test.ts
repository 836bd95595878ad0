/**
 * A result moved after the call that needs it, in a history with no orchestratorCompleted to show
 * where the episode ended (as the SDK's in-memory runtime and some exports write them): the SDK's own
 * executor rejects it (NonDeterminismError), so dtcheck must not say ok, and must name the same event.
 * The same for Durable Functions, whose JS executor checks nothing: dtcheck replays it in history order, as DTFx does.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as api from "../../src/index.js";
import type { HistoryEvent } from "../../src/index.js";
import { sdkVerdict, toSdkEvents } from "../support/sdk-oracle.js";

const APPS = fileURLToPath(new URL("../../../../fixtures/apps/", import.meta.url));

/** The chaining golden without episode markers (one orchestratorStarted), its first result moved after the second call. */
function movedResult(sdk: string): HistoryEvent[] {
  const golden = api.parseHistoryText(readFileSync(join(APPS, sdk, "chaining/histories/onboardUser.protobuf-json.json"), "utf8")).events;
  const flat = golden.filter((e, i) => e.kind !== "orchestratorCompleted" && (e.kind !== "orchestratorStarted" || i === 0));
  // orchestratorStarted, executionStarted, taskScheduled 1, taskCompleted 1, taskScheduled 2, ...
  expect(flat.slice(0, 5).map((e) => e.kind)).toEqual(["orchestratorStarted", "executionStarted", "taskScheduled", "taskCompleted", "taskScheduled"]);
  return [flat[0]!, flat[1]!, flat[2]!, flat[4]!, flat[3]!, ...flat.slice(5)];
}

describe("a result moved after the call that needs it", () => {
  it("durabletask-js: the SDK's executor rejects it at the second call, and so does dtcheck, in every lossless format", async () => {
    const events = movedResult("durabletask");
    const module = await api.loadModule(join(APPS, "durabletask/chaining/worker.ts"));
    const target = api.pickOrchestrator(module, "onboardUser");
    const sdk = toSdkEvents({ events });
    const oracle = await sdkVerdict("onboardUser", target.fn, sdk.events, [0]);
    expect({ status: oracle.status, eventIndex: oracle.eventIndex === undefined ? undefined : sdk.source[oracle.eventIndex] }).toEqual({ status: "rejected", eventIndex: 3 });
    for (const format of ["friendly", "protobuf-json", "df-wire"] as const) {
      const history = api.parseHistoryText(api.writeHistory({ events }, format), { file: `moved.${format}.json` });
      const result = await api.replayHistory(history, target);
      expect({ format, status: result.status, reason: result.divergence?.reason, eventIndex: result.divergence?.eventIndex, message: result.divergence?.message }).toEqual({
        format,
        status: "diverged",
        // The SDK stops at call 2, before the code could see the result it needs for it.
        reason: "missing",
        eventIndex: 3,
        message: 'the history recorded activity "provisionWorkspace" with id 2, but the code no longer makes a call with that id',
      });
    }
  });

  it("durable-functions: dtcheck replays in history order, as DTFx does (the JS executor alone would accept it)", async () => {
    const events = movedResult("durable-functions");
    const module = await api.loadModule(join(APPS, "durable-functions/chaining/index.ts"));
    const target = api.pickOrchestrator(module, "onboardUser");
    for (const format of ["df-wire", "protobuf-json", "friendly"] as const) {
      const history = api.parseHistoryText(api.writeHistory({ events }, format), { file: `moved.${format}.json` });
      const result = await api.replayHistory(history, target);
      expect({ format, status: result.status, reason: result.divergence?.reason, eventIndex: result.divergence?.eventIndex, sdk: result.divergence?.sdkMessage }).toEqual({
        format,
        status: "diverged",
        reason: "early",
        eventIndex: 3,
        sdk: 'Non-Deterministic workflow detected: the history has activity "provisionWorkspace" with EventId 1 at event 3, but the orchestrator makes it only after event 4 (taskCompleted)',
      });
    }
  });

  it("unmoved, both replay ok (and the SDK accepts the durabletask-js one)", async () => {
    for (const sdk of ["durabletask", "durable-functions"]) {
      const moved = movedResult(sdk);
      const events = [moved[0]!, moved[1]!, moved[2]!, moved[4]!, moved[3]!, ...moved.slice(5)];
      const module = await api.loadModule(join(APPS, sdk, sdk === "durabletask" ? "chaining/worker.ts" : "chaining/index.ts"));
      const target = api.pickOrchestrator(module, "onboardUser");
      expect((await api.replayHistory({ events }, target, { strict: true })).status, sdk).toBe("ok");
      if (sdk === "durabletask") expect((await sdkVerdict("onboardUser", target.fn, toSdkEvents({ events }).events, [0])).status).toBe("ok");
    }
  });
});
