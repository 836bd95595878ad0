import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { checkDrift } from "../../src/drift/check-drift.js";
import { generateInstance } from "../../src/fuzz/generate.js";
import { choicesFrom } from "../../src/fuzz/choices.js";
import { renderFuzzResult } from "../../src/fuzz/render.js";
import { readHistoryFile, writeHistory } from "../../src/history/index.js";
import { loadModule, pickOrchestrator } from "../../src/load/load-module.js";
import { replayHistories } from "../../src/replay/replay-histories.js";

const dir = fileURLToPath(new URL("../../../../fixtures/drift/", import.meta.url));
const fuzz = { input: fc.record({ id: fc.nat(99), express: fc.boolean() }) };
let out: string;

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), "dtcheck-drift-test-"));
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

describe("a drift failure users can act on", () => {
  it("writes the minimal history in the chosen format, and the command's replay shows the same divergence", async () => {
    const candidate = `${dir}renamed-activity/v2.ts`;
    const result = await checkDrift({
      baseline: `${dir}renamed-activity/v1.ts`,
      candidate,
      fuzz,
      runs: 50,
      seed: 42,
      outDir: join(out, "friendly"),
      format: "friendly",
      cwd: out,
    });
    const failure = result.failure!;
    expect(failure.seed).toBe(42);
    expect(failure.historyFile).toBe(join(out, "friendly", "drift-order-seed42.friendly.json"));
    expect(failure.command).toBe(`dtcheck replay friendly/drift-order-seed42.friendly.json --module ${candidate} --orchestrator order`);

    const written = await readHistoryFile(failure.historyFile!);
    expect(written.source?.format).toBe("friendly");
    expect(written.events.map((e) => e.kind)).toEqual(failure.history.events.map((e) => e.kind));
    // What `dtcheck replay <file> --module <candidate>` runs:
    const summary = await replayHistories(failure.historyFile!, { module: candidate });
    expect(summary.diverged).toBe(1);
    expect(summary.results[0]!.divergence).toMatchObject({
      reason: failure.divergence!.reason,
      eventIndex: failure.divergence!.eventIndex,
      expected: { name: "charge" },
      produced: { name: "chargeCard" },
    });

    const text = renderFuzzResult(result, { cwd: out });
    expect(text).toContain("reproduce: dtcheck replay friendly/drift-order-seed42.friendly.json");
    expect(text).toContain("seed 42");
    expect(text).toContain("compareVersionTo");
    // The minimal history's replay is named by the file it was written to, and its fix is said once.
    expect(text.split("\n").filter((line) => line.startsWith("  diverged "))).toEqual(["  diverged friendly/drift-order-seed42.friendly.json (order, durabletask)"]);
    expect(text.split("\n").filter((line) => line.includes("fix: "))).toHaveLength(1);
    // Unwritten, it is called what it is.
    expect(renderFuzzResult({ ...result, failure: { ...failure, historyFile: undefined } }, { cwd: out })).toContain("  diverged (the minimal history) (order, durabletask)");
  });

  it("gives identical results for the same seed", async () => {
    const run = () =>
      checkDrift({ baseline: `${dir}inserted-activity/v1.ts`, candidate: `${dir}inserted-activity/v2.ts`, fuzz, runs: 50, seed: 1234, outDir: false });
    const [a, b] = [await run(), await run()];
    const strip = (r: typeof a) => ({ ...r, durationMs: 0, failure: { ...r.failure!, replay: { ...r.failure!.replay!, durationMs: 0 } } });
    expect(strip(a)).toEqual(strip(b));
    // A different seed explores other worlds first (but shrinks to the same minimal failure).
    const c = await checkDrift({ baseline: `${dir}inserted-activity/v1.ts`, candidate: `${dir}inserted-activity/v2.ts`, fuzz, runs: 50, seed: 99, outDir: false });
    expect(c.failure!.divergence!.eventIndex).toBe(a.failure!.divergence!.eventIndex);
  });

  it("passes an unchanged candidate and also replays saved histories (any format) against it in the same run", async () => {
    // Saved histories: two instances generated from v1, exported in two formats.
    const v1 = pickOrchestrator(await loadModule(`${dir}renamed-activity/v1.ts`), "order");
    const saved = join(out, "saved");
    await rm(saved, { recursive: true, force: true });
    const [world] = fc.sample(fc.gen(), { numRuns: 1, seed: 5 });
    const instance = await generateInstance(v1, choicesFrom(world!), { input: { id: 7 }, failurePercent: 0, lifecycle: false });
    const history = instance.generations[0]!.history;
    expect(history.events.filter((e) => e.kind === "taskScheduled")).toHaveLength(3);
    await mkdir(saved, { recursive: true });
    await writeFile(join(saved, "one.json"), writeHistory(history, "protobuf-json"));
    await writeFile(join(saved, "two.jsonl"), writeHistory(history, "friendly", { jsonl: true }));

    const same = await checkDrift({ baseline: `${dir}renamed-activity/v1.ts`, candidate: `${dir}renamed-activity/v1.ts`, fuzz, runs: 20, seed: 3, histories: saved, outDir: false });
    expect(same.ok).toBe(true);
    expect(same.saved).toMatchObject({ ok: 2, diverged: 0 });

    // The gated v2 passes the fuzzed histories, but the saved ones carry no version: gated code sees
    // an empty version as older than 2.0 too, so they pass as well.
    const gated = await checkDrift({ baseline: `${dir}renamed-activity/v1.ts`, candidate: `${dir}renamed-activity/v2-versioned.ts`, fuzz, runs: 20, seed: 3, histories: saved, outDir: false });
    expect(gated.saved).toMatchObject({ ok: 2 });
    expect(gated.ok).toBe(true);

    const broken = await checkDrift({ baseline: `${dir}renamed-activity/v1.ts`, candidate: `${dir}renamed-activity/v2.ts`, fuzz, runs: 20, seed: 3, histories: saved, outDir: false });
    expect(broken.saved).toMatchObject({ ok: 0, diverged: 2 });
    expect(broken.saved!.results.map((r) => r.divergence?.produced?.name)).toEqual(["chargeCard", "chargeCard"]);
    expect(renderFuzzResult(broken)).toContain("saved histories: 0 ok, 2 diverged");
    expect(await readdir(saved)).toHaveLength(2);
  });

  it("reports a baseline that cannot replay its own history as such, not as drift", async () => {
    const coinFlip = fileURLToPath(new URL("../../../../fixtures/histories/durabletask/nondeterministic.ts", import.meta.url));
    const result = await checkDrift({ baseline: coinFlip, candidate: coinFlip, runs: 50, seed: 7, outDir: join(out, "self"), cwd: out });
    expect(result.failure).toMatchObject({ property: "self-replay", hint: expect.stringContaining("reads the clock, randomness or process.env") });
    expect(result.failure!.message).toMatch(/^the baseline cannot replay the history it produced/);
    expect(result.failure!.command).toBe(`dtcheck replay self/self-replay-coinFlip-seed7.protobuf-json.json --module ${coinFlip} --orchestrator coinFlip`);
  });

  it("anchors a call the candidate no longer makes at the candidate's orchestrator, and says where the baseline makes it", async () => {
    const df = fileURLToPath(new URL("../../../../fixtures/histories/durable-functions/", import.meta.url));
    const result = await checkDrift({ baseline: `${df}v1.ts`, candidate: `${df}drift-removed-call.ts`, orchestrator: "chain", runs: 20, seed: 1, outDir: false, cwd: join(df, "../../..") });
    expect(result.failure?.message).toMatch(
      /the history recorded activity "sign" with id 2, but the code no longer makes a call with that id; the baseline makes it at fixtures\/histories\/durable-functions\/v1\.ts:9$/,
    );
    expect(result.failure?.location).toEqual({ file: `${df}drift-removed-call.ts`, line: 5, column: 1 });
  });

  it("reports a baseline whose branch comes from the wall clock as not deterministic, at its line: the replays read another time", async () => {
    const hidden = fileURLToPath(new URL("../../../../fixtures/histories/durabletask/hidden-branches.ts", import.meta.url));
    const result = await checkDrift({ baseline: hidden, candidate: hidden, orchestrator: "morningShipping", runs: 20, seed: 1, outDir: false });
    expect(result.failure?.property).toBe("self-replay");
    expect(result.failure?.message).toBe(
      'the baseline cannot replay the history it produced (episode 1, history event #6: the history recorded activity "ship" with id 2, but the code now makes activity "hold"), so it is not deterministic: fix that first (dtcheck fuzz on the baseline finds and explains it)',
    );
    expect(result.failure?.divergence?.produced?.location).toMatchObject({ file: hidden, line: 10 });
  });

  it("names the file and the problem for a candidate that does not exist", async () => {
    await expect(checkDrift({ baseline: `${dir}renamed-activity/v1.ts`, candidate: join(out, "missing.ts"), runs: 1, outDir: false })).rejects.toThrow(
      /missing\.ts: module not found; check the path \(--module, --baseline or --candidate/,
    );
  });
});
