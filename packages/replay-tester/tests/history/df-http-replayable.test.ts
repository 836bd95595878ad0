/**
 * The history rebuilt from the lossy HTTP API output must replay in the real durable-functions
 * SDK: written as df-wire and fed to the SDK's own orchestrator runner (as its tests do), the
 * orchestrator that produced it must finish with the recorded output, every completion landing
 * on the call it belongs to.
 */
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readHistoryFile, writeHistory } from "../../src/index.js";

const require = createRequire(import.meta.url);
const testing = require("durable-functions/lib/src/util/testingUtils.js") as {
  createOrchestrator(fn: (context: unknown) => Generator<unknown, unknown, unknown>): (input: unknown, context: unknown) => Promise<DfState>;
  DurableOrchestrationInput: new (instanceId: string, history: unknown[], input: unknown) => unknown;
  DummyOrchestrationContext: new (name?: string, id?: string, log?: () => void) => unknown;
};
interface DfState {
  isDone: boolean;
  output: unknown;
  error?: string;
  actions: { actionType: number; functionName?: string }[][];
}
interface DfContext {
  df: {
    getInput(): { orderId: number };
    callActivity(name: string, input?: unknown): unknown;
    callSubOrchestrator(name: string, input?: unknown): unknown;
    createTimer(at: Date): unknown;
    waitForExternalEvent(name: string): unknown;
  };
}

const fixture = fileURLToPath(new URL("../../../../fixtures/histories/formats/process-order.df-http.json", import.meta.url));

/** The orchestrator the sample history was recorded from, written for durable-functions. */
function* processOrder(context: DfContext): Generator<unknown, unknown, unknown> {
  const { orderId } = context.df.getInput();
  yield context.df.callActivity("ValidateOrder", { orderId });
  let receipt: unknown;
  try {
    receipt = yield context.df.callActivity("ChargeCard", { orderId, amount: 12.5 });
  } catch {
    yield context.df.createTimer(new Date("2026-03-02T10:00:07.003Z"));
    receipt = yield context.df.callActivity("ChargeCard", { orderId, amount: 12.5 });
  }
  const shipment = (yield context.df.callSubOrchestrator("ShipOrder", { orderId })) as { trackingId: string };
  yield context.df.waitForExternalEvent("DeliveryConfirmed");
  return { status: receipt ? "delivered" : "unpaid", trackingId: shipment.trackingId };
}

describe("a history rebuilt from the HTTP API replays in durable-functions", () => {
  it("finishes with the recorded output, scheduling the same calls in the same order", async () => {
    const rebuilt = await readHistoryFile(fixture);
    const wire = JSON.parse(writeHistory(rebuilt, "df-wire")) as unknown[];
    const run = testing.createOrchestrator(processOrder as (context: unknown) => Generator<unknown, unknown, unknown>);
    const state = await run(
      new testing.DurableOrchestrationInput("order-42", wire, { orderId: 42, items: ["apple", "pear"] }),
      new testing.DummyOrchestrationContext("ProcessOrder", "test-invocation", () => {}),
    );
    expect(state.error).toBeUndefined();
    expect(state.isDone).toBe(true);
    expect(state.output).toEqual({ status: "delivered", trackingId: "TRK-7" });
    const calls = state.actions.flat().map((a) => a.functionName ?? `action ${a.actionType}`);
    const scheduled = rebuilt.events.flatMap((e) => (e.kind === "taskScheduled" || e.kind === "subOrchestrationInstanceCreated" ? [e.name] : e.kind === "timerCreated" ? ["action 5"] : []));
    expect(calls.filter((c) => c !== "action 6")).toEqual(scheduled);
  });
});
