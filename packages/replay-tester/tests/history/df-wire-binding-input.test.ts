/**
 * The orchestration input as durable-functions sees it. The SDK's own test histories hold bare
 * strings in ExecutionStarted.Input (`World`, not JSON), and the trigger binding's `input` (beside
 * its `history`) is what `context.df.getInput()` returns. Replayed on the real package with
 * --strict (activity inputs compared), both must replay clean.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { executionStarted, loadModule, parseHistoryValue, replayHistory } from "../../src/index.js";

const fixtures = fileURLToPath(new URL("../../../../fixtures/histories/durable-functions/", import.meta.url));
const at = (s: number) => `2026-11-30T10:00:0${s}.000Z`;

/** `chain` (fixtures/histories/durable-functions/exported.mjs) greeted, shouting scheduled: the SDK's test-history shape. */
function history(input: string | undefined): Record<string, unknown>[] {
  return [
    { EventType: 12, EventId: -1, IsPlayed: true, Timestamp: at(0) },
    { EventType: 0, EventId: -1, IsPlayed: true, Timestamp: at(0), Name: "chain", Input: input },
    { EventType: 4, EventId: 0, IsPlayed: true, Timestamp: at(0), Name: "greet", Input: JSON.stringify("World") },
    { EventType: 13, EventId: -1, IsPlayed: true, Timestamp: at(0) },
    { EventType: 12, EventId: -1, IsPlayed: false, Timestamp: at(1) },
    { EventType: 5, EventId: -1, IsPlayed: false, Timestamp: at(1), TaskScheduledId: 0, Result: JSON.stringify("Hello, World!") },
    { EventType: 4, EventId: 1, IsPlayed: false, Timestamp: at(1), Name: "shout", Input: JSON.stringify("Hello, World!") },
    { EventType: 13, EventId: -1, IsPlayed: false, Timestamp: at(1) },
  ];
}

describe("Durable Functions orchestration inputs", () => {
  it("a bare-string ExecutionStarted input is the string itself", async () => {
    const parsed = parseHistoryValue(history("World"), { format: "df-wire" });
    expect(executionStarted(parsed)?.input).toBe("World");
    const chain = (await loadModule(`${fixtures}exported.mjs`)).orchestrators.get("chain")!;
    const result = await replayHistory(parsed, chain, { strict: true });
    expect([result.status, result.error, result.divergence?.message]).toEqual(["ok", undefined, undefined]);
  });

  it("the trigger binding's input is what the orchestrator gets, whatever ExecutionStarted holds", async () => {
    const binding = { history: history(undefined), input: "World", instanceId: "hello-1", isReplaying: true, parentInstanceId: null };
    const parsed = parseHistoryValue(binding);
    expect(executionStarted(parsed)?.input).toBe(JSON.stringify("World"));
    const chain = (await loadModule(`${fixtures}exported.mjs`)).orchestrators.get("chain")!;
    expect((await replayHistory(parsed, chain, { strict: true })).status).toBe("ok");
    // Without the binding the same events give the orchestrator no input: a real --strict divergence on greet's input.
    const bare = await replayHistory(parseHistoryValue(history(undefined)), chain, { strict: true });
    expect(bare.status).toBe("diverged");
  });
});
