import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { InputError } from "../../src/errors.js";
import { recordHistory } from "../../src/record/record.js";

const dir = fileURLToPath(new URL("../../../../fixtures/histories/durabletask/", import.meta.url));
const v1 = `${dir}v1.ts`;

describe("recordHistory", () => {
  it("records a chain from JSON stubs: results, an explicit { result } array, episode per call", async () => {
    const history = await recordHistory({ module: v1, orchestrator: "chain", input: "Tokyo", stubs: `${dir}stubs.json` });
    const kinds = history.events.map((e) => e.kind);
    expect(kinds.filter((k) => k === "orchestratorStarted")).toHaveLength(4);
    expect(history.events[1]).toMatchObject({ kind: "executionStarted", name: "chain", input: '"Tokyo"' });
    expect(history.events.filter((e) => e.kind === "taskScheduled").map((e) => "name" in e && e.name)).toEqual(["greet", "shout", "sign"]);
    expect(history.events.find((e) => e.kind === "executionCompleted")).toMatchObject({
      status: "completed",
      result: JSON.stringify(["HELLO TOKYO", "signed"]),
    });
    // Timestamps come from the simulated clock: reproducible.
    expect(history.events[0]!.timestamp).toBe("2024-01-01T00:00:00.000Z");
  });

  it("a stub sequence drives retries as the SDK writes them (failure, retry timer, rescheduled task)", async () => {
    const history = await recordHistory({ module: v1, orchestrator: "retry", stubs: `${dir}stubs.json` });
    const shape = history.events
      .filter((e) => !["orchestratorStarted", "orchestratorCompleted"].includes(e.kind))
      .map((e) => `${e.kind}${e.eventId >= 0 ? `#${e.eventId}` : ""}`);
    expect(shape).toEqual([
      "executionStarted",
      "taskScheduled#1",
      "taskFailed",
      "timerCreated#2",
      "timerFired",
      "taskScheduled#3",
      "taskFailed",
      "timerCreated#4",
      "timerFired",
      "taskScheduled#5",
      "taskCompleted",
      "executionCompleted",
    ]);
    const failures = history.events.flatMap((e) => (e.kind === "taskFailed" ? [e.failure] : []));
    expect(failures).toEqual([
      { errorType: "Error", errorMessage: "first" },
      { errorType: "TimeoutError", errorMessage: "second" },
    ]);
    // firstRetryIntervalInMilliseconds: 1000 -> the retry timer fires 1 s after the failure's episode.
    const failedAt = Date.parse(history.events[5]!.timestamp!);
    const timer = history.events.find((e) => e.kind === "timerCreated");
    expect(timer?.kind === "timerCreated" && Date.parse(timer.fireAt) - failedAt).toBe(1000);
  });

  it("records from a module of stub functions (returns are results, throws are failures)", async () => {
    const history = await recordHistory({ module: v1, orchestrator: "retry", stubs: `${dir}stubs.mjs` });
    expect(history.events.find((e) => e.kind === "taskFailed")).toMatchObject({ failure: { errorType: "TypeError", errorMessage: "attempt 1 failed" } });
    expect(history.events.find((e) => e.kind === "executionCompleted")).toMatchObject({ result: '"finally"' });
  });

  it("raises stubbed external events before timers fire", async () => {
    const approved = await recordHistory({
      module: v1,
      orchestrator: "approval",
      stubs: { activities: { requestApproval: null, proceed: "went" }, events: { approval: { by: "ann" } } },
    });
    expect(approved.events.find((e) => e.kind === "eventRaised")).toMatchObject({ name: "approval", input: '{"by":"ann"}' });
    expect(approved.events.find((e) => e.kind === "executionCompleted")).toMatchObject({ result: '"went"' });
    const timedOut = await recordHistory({ module: v1, orchestrator: "approval", stubs: { requestApproval: null, escalate: "esc" } });
    expect(timedOut.events.some((e) => e.kind === "timerFired")).toBe(true);
    expect(timedOut.events.find((e) => e.kind === "executionCompleted")).toMatchObject({ result: '"esc"' });
  });

  it("an activity without a stub is an InputError naming it and the stubbed ones", async () => {
    const error = await recordHistory({ module: v1, orchestrator: "chain", input: "x", stubs: { greet: "hi" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe('stubs: no stub for activity "shout"; add "shout": <its result> to the stubs (stubbed: greet)');
  });

  it("with no stubs at all, the first call says how to give them", async () => {
    const error = await recordHistory({ module: v1, orchestrator: "chain", input: "x" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe('the orchestrator calls activity "greet", and no stubs were given: pass --stubs <file.json> with a result for each call, e.g. {"greet":"result"}');
  });

  it("a stubs file that is not JSON is an InputError naming the file", async () => {
    await expect(recordHistory({ module: v1, orchestrator: "chain", stubs: `${dir}v1.ts`.replace("v1.ts", "missing.json") })).rejects.toThrow(
      /missing\.json: stubs file not found/,
    );
  });
});

describe("what recorded code reads", () => {
  it("is the history's own time and seeded randomness: a timer set from the wall clock is a minute after the start, the same on every recording", async () => {
    const module = fileURLToPath(new URL("../../../../fixtures/histories/durable-functions/wall-clock-timer.ts", import.meta.url));
    const record = () => recordHistory({ module, orchestrator: "remindLater", stubs: { remind: "reminded" } });
    const history = await record();
    const timer = history.events.find((e) => e.kind === "timerCreated");
    expect(timer).toMatchObject({ fireAt: "2024-01-01T00:01:00.000Z" });
    expect(history.events.find((e) => e.kind === "executionCompleted")).toMatchObject({ status: "completed" });
    expect(await record()).toEqual(history);
  });
});
