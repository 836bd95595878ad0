import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path, { join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkDeterminism } from "../../src/fuzz/check-determinism.js";
import { readHistoryFile } from "../../src/history/index.js";
import { renderFuzzResult } from "../../src/fuzz/render.js";

const fixtures = fileURLToPath(new URL("../../../../fixtures/", import.meta.url));
const hidden = `${fixtures}drift/hidden-clock/`;
let out: string;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), "dtcheck-determinism-test-"));
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

describe("checkDeterminism", () => {
  it("catches a Date.now() hidden in a third-party-style helper by replaying in perturbed environments", async () => {
    const result = await checkDeterminism(`${hidden}orchestrator.ts`, { fuzz: { input: { id: 3 } }, runs: 30, seed: 7, outDir: out });
    expect(result.ok).toBe(false);
    const failure = result.failure!;
    expect(failure.property).toBe("perturbed-replay");
    expect(failure.difference).toMatchObject({
      episode: 1,
      field: "input",
      first: { kind: "activity", id: 2, name: "sendReceipt" },
      second: { kind: "activity", id: 2, name: "sendReceipt" },
      location: { file: `${hidden}orchestrator.ts`, line: 11 },
    });
    expect(failure.difference!.first!.input).not.toBe(failure.difference!.second!.input);
    expect(failure.message).toMatch(/^episode 1: activity "sendReceipt" #2 differs in input between two replays/);
    // The message names the file as the user would (relative to cwd), not by this machine's path.
    expect(failure.message).toContain(`; made at ${path.relative(process.cwd(), hidden)}/orchestrator.ts:11`);
    expect(failure.hint).toContain("ctx.currentUtcDateTime");
    // The minimal history is the instance cut right after the episode that differs.
    expect(failure.history.events.map((e) => e.kind)).toEqual([
      "orchestratorStarted", "executionStarted", "taskScheduled", "orchestratorCompleted",
      "orchestratorStarted", "taskCompleted", "taskScheduled", "orchestratorCompleted",
    ]);
    expect((await readHistoryFile(failure.historyFile!)).events).toHaveLength(8);
    expect(failure.command).toBe(`checkDeterminism(${JSON.stringify(`${hidden}orchestrator.ts`)}, { orchestrator: "checkout", seed: 7, path: ${JSON.stringify(failure.counterexamplePath)} })`);
  });

  it("passes the fixed version, which takes the time from the orchestration context", async () => {
    const result = await checkDeterminism(`${hidden}fixed.ts`, { fuzz: { input: { id: 3 } }, runs: 30, seed: 7, outDir: false });
    expect(result).toMatchObject({ ok: true, runs: 30, histories: 30, warnings: [] });
    expect(result.replays).toBeGreaterThan(60);
  });

  it("reports an orchestrator whose activity Math.random picks, at the call, with the seed that goes back to it", async () => {
    const module = `${fixtures}histories/durabletask/nondeterministic.ts`;
    const result = await checkDeterminism(module, { runs: 50, seed: 7, outDir: out });
    expect(result.ok).toBe(false);
    // Each world draws its own random seed and the replay another: the coin lands differently.
    expect(result.failure!.property).toBe("perturbed-replay");
    expect(result.failure!.message).toBe(
      'episode 1: activity "heads" #2 differs in name between two replays of the same history (heads vs tails) with the clock, randomness and environment changed; made at fixtures/histories/durabletask/nondeterministic.ts:7',
    );
    // A plain replay of the file lands the coin either way: the fuzz run itself is what reproduces it.
    expect(result.failure!.command).toBe(`checkDeterminism(${JSON.stringify(module)}, { orchestrator: "coinFlip", seed: 7, path: "${result.failure!.counterexamplePath}" })`);
    // One fix, the determinism one: the replay's own (for a changed deploy) does not apply here.
    expect(renderFuzzResult(result).split("\n").filter((line) => line.includes("fix: "))).toEqual([
      expect.stringMatching(/^ {2}fix: the orchestrator \(or a helper it calls\) reads the clock/),
    ]);
    // Generation runs with seeded randomness, so even this random code fails the same way for the same seed.
    const again = await checkDeterminism(`${fixtures}histories/durabletask/nondeterministic.ts`, { runs: 50, seed: 7, outDir: false });
    expect(again.failure!.message).toBe(result.failure!.message);
    expect(again.failure!.history).toEqual(result.failure!.history);
    expect(again.failure!.world).toEqual(result.failure!.world);
  });

  it("catches branches on the hour, the weekday, a random draw, the time a run takes and an app setting, with no input given", async () => {
    const module = `${fixtures}histories/durabletask/hidden-branches.ts`;
    const messages: Record<string, string | undefined> = {};
    const saved = process.env["FRAUD_CHECK"];
    process.env["FRAUD_CHECK"] = "on";
    try {
      for (const orchestrator of ["morningShipping", "escalation", "sampledAudit", "quoteWithRetry", "screenedOrder"]) {
        messages[orchestrator] = (await checkDeterminism(module, { orchestrator, seed: 1, outDir: false })).failure?.message;
      }
    } finally {
      if (saved === undefined) delete process.env["FRAUD_CHECK"];
      else process.env["FRAUD_CHECK"] = saved;
    }
    const changed = "between two replays of the same history";
    const perturbed = "with the clock, randomness and environment changed";
    const at = "fixtures/histories/durabletask/hidden-branches.ts";
    expect(messages).toEqual({
      morningShipping: `episode 1: activity "ship" #2 differs in name ${changed} (ship vs hold) ${perturbed}; made at ${at}:10`,
      escalation: `episode 1: activity "callSupport" #2 differs in name ${changed} (callSupport vs close) ${perturbed}; made at ${at}:24`,
      // The replay that skipped the audit left no stack for it: the source names the one call that makes it.
      sampledAudit: `episode 1: the run that made the history made activity "audit" #2; a replay of it ${perturbed} completed the orchestration instead; made at ${at}:31`,
      // The replay's clock jumps at every read, as on a host that pauses.
      quoteWithRetry: `episode 1: the run that made the history completed the orchestration; a replay of it ${perturbed} made activity "requote" #2 instead; made at ${at}:39`,
      screenedOrder: `episode 1: activity "screen" #2 differs in name ${changed} (screen vs ship) ${perturbed} (the code read process.env; the second replay had FRAUD_CHECK removed); made at ${at}:47`,
    });
    expect(process.env["FRAUD_CHECK"]).toBe(saved);
  });

  it("reports a Durable Functions timer set from the wall clock as non-determinism at its line, not as a loop that never ends", async () => {
    const result = await checkDeterminism(`${fixtures}histories/durable-functions/wall-clock-timer.ts`, { seed: 1, outDir: false });
    expect(result.unfinished).toBeUndefined();
    expect(result.failure?.property).toBe("perturbed-replay");
    // The generation's deadline is a minute after the history's start, as on a worker whose clock the history follows.
    expect(result.failure?.message).toMatch(
      /^episode 0: timer \(fires 2026-01-05T09:01:00\.\d{3}Z\) #0 differs in fireAt between two replays of the same history \(2026-01-05T09:01:00\.\d{3}Z vs \S+\) with the clock, randomness and environment changed; made at fixtures\/histories\/durable-functions\/wall-clock-timer\.ts:9$/,
    );
    // The generation's clock is logical: the same seed reads the same times, however fast the machine.
    const again = await checkDeterminism(`${fixtures}histories/durable-functions/wall-clock-timer.ts`, { seed: 1, outDir: false });
    expect(again.failure?.message).toBe(result.failure?.message);
  });

  it("blames a call behind isReplaying on the guard, at its line, not on the clock", async () => {
    const result = await checkDeterminism(`${fixtures}histories/durabletask/replay-guarded.ts`, { seed: 1, outDir: false });
    expect(result.failure?.property).toBe("self-replay");
    expect(result.failure?.location).toMatchObject({ file: expect.stringMatching(/replay-guarded\.ts$/), line: 8 });
    expect(result.failure?.hint).toBe(
      "a durable call behind `!ctx.isReplaying` (fixtures/histories/durabletask/replay-guarded.ts:8) is made on one run and not on its replay; make it on every run and keep isReplaying for logging (the lint rule no-replay-conditional-calls finds these)",
    );
  });

  it("catches an app setting that is unset where dtcheck runs, by setting it to the value the code compares it with", async () => {
    const result = await checkDeterminism(`${fixtures}histories/durabletask/hidden-branches.ts`, { orchestrator: "screenedOrder", seed: 1, outDir: false });
    expect(result.failure?.message).toMatch(/\(the code read process\.env; the second replay had FRAUD_CHECK="on"\); made at /);
    // Unset here, so nothing to repeat for the same seed to find it.
    expect(result.failure?.environment).toEqual({});
    // A failure says what the replay changed: no warning beside it that the calls stayed the same.
    expect(result.warnings.filter((w) => w.includes("process.env"))).toEqual([]);
  });

  it("warns, without failing, when the code reads a setting whose change made no other calls, and not for what Node reads to colour a log", async () => {
    const result = await checkDeterminism(`${fixtures}histories/durabletask/hidden-branches.ts`, { orchestrator: "verboseOrder", seed: 1, outDir: false });
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([expect.stringMatching(/^the code read process\.env\.VERBOSE while it ran; the replays changed it/)]);
  });

  it("is inconclusive, not a pass, for an orchestrator the SDK never runs and for one that fails with its own error in most worlds", async () => {
    const module = `${fixtures}histories/durabletask/broken-shapes.mjs`;
    const sync = await checkDeterminism(module, { orchestrator: "syncShape", seed: 1, outDir: false });
    expect(sync.ok).toBe(false);
    expect(sync.failure).toBeUndefined();
    expect(sync.inconclusive).toMatchObject({
      reason: "no-call-reached",
      message: "inconclusive: no generated instance made any of the 2 durable calls in the orchestrator's source (of 100 instances: 100 completed), so none of its code was tested",
      hint: expect.stringMatching(/^check that the SDK runs it: durabletask-js and Dapr drive an `async function\*`/),
    });
    const all = await checkDeterminism(module, { orchestrator: "promiseAll", seed: 1, outDir: false });
    expect(all.ok).toBe(false);
    expect(all.inconclusive).toMatchObject({
      reason: "own-errors",
      message:
        "inconclusive: 96 of 100 generated instances failed with an error of the orchestrator's own (Error: The orchestrator generator yielded a non-Task object), not a task failure the world injected, so little past it was tested",
    });
    // Task failures the world injects, propagated by the code, are expected and do not count.
    const retry = await checkDeterminism(`${fixtures}histories/durabletask/v1.ts`, { orchestrator: "chain", fuzz: { input: 1, failurePercent: 90 }, runs: 20, seed: 1, outDir: false });
    expect(retry.outcomes).toEqual({ failed: 19, terminated: 1 });
    expect(retry.ok).toBe(true);
  });

  it("passes deterministic orchestrators of every shape (timers, events, retries, sub-orchestrations, continue-as-new)", async () => {
    for (const orchestrator of ["approval", "retry", "parent", "counter", "compensate"]) {
      const result = await checkDeterminism(`${fixtures}histories/durabletask/v1.ts`, { orchestrator, fuzz: { input: 0 }, runs: 15, seed: 1, outDir: false });
      expect(result.failure?.message, orchestrator).toBeUndefined();
    }
  });

  it("is inconclusive, not a pass, when most generated histories fail at once for want of an input", async () => {
    const result = await checkDeterminism(`${hidden}orchestrator.ts`, { runs: 5, seed: 1, outDir: false, inferTypes: false });
    expect(result.ok).toBe(false);
    expect(result.failure).toBeUndefined();
    expect(result.outcomes).toEqual({ failed: 5 });
    expect(result.inconclusive).toEqual({
      reason: "early-errors",
      message: "inconclusive: 5 of 5 generated instances failed in their first episode (TypeError: Cannot read properties of undefined (reading 'id')), so little past the start was tested",
      hint: "give checkout an input it can run with: fuzz.inputs.checkout in dtcheck.config (a JSON value or a fast-check arbitrary), or --input checkout=<json|@file> on dtcheck fuzz and dtcheck drift",
      location: { file: `${hidden}orchestrator.ts`, line: 9, column: 1 },
    });
    expect(result.coverage).toMatchObject({ reached: 0, total: 2, fromSource: true });
    expect(result.coverage!.sites.map((s) => [s.line, s.method, s.name, s.reached])).toEqual([
      [10, "callActivity", "charge", false],
      [11, "callActivity", "sendReceipt", false],
    ]);
  });

  it("with no input given, generates one from the declared type and finds the hidden clock", async () => {
    const result = await checkDeterminism(`${hidden}orchestrator.ts`, { runs: 5, seed: 1, outDir: false });
    expect(result.values).toEqual([`inferred input: { id: number; } from parameter "input" (${path.relative(process.cwd(), `${hidden}orchestrator.ts`)}:9)`]);
    expect(result.ok).toBe(false);
    expect(result.failure?.property).toBe("perturbed-replay");
  });
});
