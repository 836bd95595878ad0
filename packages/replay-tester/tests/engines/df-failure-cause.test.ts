/**
 * The real cause of a failed Durable Functions orchestration. durable-functions 3.5 throws an
 * OrchestrationFailureError whose message starts with the boolean `orchestratorReturned` ("false")
 * and carries the cause in the `$OutOfProcData$` state after it; dtcheck reads the cause from there,
 * as the host does, both when recording and when a replay fails.
 */
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { orchestrationFailure } from "../../src/engines/durable-functions/engine.js";
import { loadModule, pickOrchestrator, recordHistory, replayHistory, type HistoryEvent } from "../../src/index.js";

const module = fileURLToPath(new URL("../../../../fixtures/apps/durable-functions/retry/index.ts", import.meta.url));
const payment = { orderId: "ord-1", amountCents: 1200, card: "tok_visa" };
const declined = { activities: { chargeCard: { error: "card declined: insufficient funds" }, emailReceipt: null } };

describe("a faulted Durable Functions orchestration", () => {
  it("is recorded with the activity's failure as its cause, not the boolean durable-functions passes", async () => {
    const history = await recordHistory({ module, input: payment, stubs: declined });
    const completed = history.events.at(-2)!;
    expect(completed).toMatchObject({ kind: "executionCompleted", status: "failed", failure: { errorType: "Error", errorMessage: "card declined: insufficient funds" } });
    expect(history.events.filter((e) => e.kind === "taskFailed")).toHaveLength(4);
  });

  it("that throws during replay where the history went on is reported with that cause", async () => {
    // The instance went on after its last retry failed (an operator raised an event to it): replayed, the code throws there.
    const failed = await recordHistory({ module, input: payment, stubs: declined });
    const events: HistoryEvent[] = failed.events.slice(0, -2);
    const at = events.at(-1)!.timestamp!;
    events.push({ kind: "eventRaised", eventId: -1, timestamp: at, name: "ManualReview", input: JSON.stringify({ approved: true }) });
    const result = await replayHistory({ events }, pickOrchestrator(await loadModule(module), "chargeOrder"));
    expect(result.status).toBe("diverged");
    expect(result.divergence?.message).toBe("the orchestrator threw Error: card declined: insufficient funds while replaying, where the history went on");
  });

  it("reads the cause out of the SDK's own OrchestrationFailureError", () => {
    const require = createRequire(import.meta.url);
    const { OrchestrationFailureError } = require("durable-functions/lib/src/error/OrchestrationFailureError") as {
      OrchestrationFailureError: new (error: unknown, state: unknown) => Error;
    };
    const thrown = new OrchestrationFailureError(false, { isDone: false, actions: [[]], error: "Activity function 'GetFileSize' failed: ENOENT \n ", failureDetails: { ErrorType: "TaskFailedError", ErrorMessage: "ENOENT" } });
    expect(thrown.message.startsWith("false\n\n$OutOfProcData$:")).toBe(true);
    expect(orchestrationFailure(thrown)).toEqual({ errorType: "TaskFailedError", errorMessage: "Activity function 'GetFileSize' failed: ENOENT" });
    // An error thrown before the executor ran (no state attached) keeps its own message.
    expect(orchestrationFailure(new TypeError("boom"))).toEqual({ errorType: "TypeError", errorMessage: "boom" });
  });
});
