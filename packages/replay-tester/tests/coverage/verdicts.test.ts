import { describe, expect, it } from "vitest";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { checkDrift } from "../../src/drift/check-drift.js";
import { checkDeterminism } from "../../src/fuzz/check-determinism.js";
import { staticCallSites } from "../../src/coverage/static-sites.js";
import { loadModule, pickOrchestrator } from "../../src/load/load-module.js";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { recordHistory } from "../../src/record/record.js";
import { writeHistory } from "../../src/index.js";

const drift = fileURLToPath(new URL("../../../../fixtures/drift/", import.meta.url));
const coverage = fileURLToPath(new URL("../../../../fixtures/coverage/", import.meta.url));
const sites = (summary: { sites: { line: number; name?: string; reached: boolean }[] } | undefined) => summary?.sites.map((s) => [s.line, s.name, s.reached]);

describe("static call sites", () => {
  it("follows the registration into the imported orchestrator and its helper, with the conditions each call is behind", async () => {
    const target = pickOrchestrator(await loadModule(`${coverage}worker.ts`), "fulfil");
    const found = staticCallSites(target);
    expect(found.function).toEqual({ file: `${coverage}orchestrators.ts`, line: 4 });
    expect(found.sites.map((s) => [s.file.slice(coverage.length), s.line, s.method, s.name, s.conditions, s.versionGated])).toEqual([
      ["helpers.ts", 4, "callActivity", "notify", ["not (!reserved)", "emails is not empty"], false],
      ["orchestrators.ts", 5, "callActivity", "reserve", [], false],
      ["orchestrators.ts", 7, "callActivity", "wrap", ["not (!reserved)", "order.gift"], false],
    ]);
  });
});

describe("coverage-backed verdicts", () => {
  it("counts the call sites the fuzzed worlds reached, per site", async () => {
    const fuzz = { input: fc.record({ id: fc.nat(9), gift: fc.boolean(), emails: fc.array(fc.emailAddress(), { maxLength: 2 }) }), activities: { reserve: fc.boolean() } };
    const result = await checkDeterminism(`${coverage}worker.ts`, { orchestrator: "fulfil", fuzz, runs: 30, seed: 4, outDir: false });
    expect(result.ok).toBe(true);
    expect(result.coverage).toMatchObject({ reached: 3, total: 3, fromSource: true });
    const never = await checkDeterminism(`${coverage}worker.ts`, { orchestrator: "fulfil", fuzz: { ...fuzz, activities: { reserve: fc.constant(false) } }, runs: 10, seed: 4, outDir: false });
    expect(never.ok).toBe(true);
    expect(sites(never.coverage)).toEqual([
      [4, "notify", false],
      [5, "reserve", true],
      [7, "wrap", false],
    ]);
  });

  it("is inconclusive, not compatible, when the candidate's new call is behind a branch no generated input takes", async () => {
    const result = await checkDrift({ baseline: `${drift}new-input-field/v1.ts`, candidate: `${drift}new-input-field/v2.ts`, fuzz: { input: fc.record({ id: fc.nat(99) }) }, runs: 30, seed: 2, outDir: false });
    expect(result.failure).toBeUndefined();
    expect(result.ok).toBe(false);
    expect(result.inconclusive).toMatchObject({
      reason: "unreached-change",
      message: `inconclusive: the candidate's activity "expedite" at ${relative(process.cwd(), drift)}/new-input-field/v2.ts:6 (behind \`input.express\`) differs from the other version and no replay of a baseline history reached it`,
      hint: "give order an input that takes that path: fuzz.inputs.order in dtcheck.config (a JSON value or a fast-check arbitrary), or --input order=<json|@file> on dtcheck fuzz and dtcheck drift",
      location: { file: `${drift}new-input-field/v2.ts`, line: 6, column: 32 },
    });
    expect(result.coverage).toMatchObject({ reached: 3, total: 4 });
    expect(result.baselineCoverage).toMatchObject({ reached: 3, total: 3 });

    // Given inputs that take the branch, the same check reaches the call and finds the drift.
    const reached = await checkDrift({ baseline: `${drift}new-input-field/v1.ts`, candidate: `${drift}new-input-field/v2.ts`, fuzz: { input: fc.constant({ id: 1, express: true }) }, runs: 30, seed: 2, outDir: false });
    expect(reached.failure?.property).toBe("drift");
    expect(reached.inconclusive).toBeUndefined();
  });

  it("counts the call sites saved histories (--histories) reach on the candidate", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dtcheck-saved-coverage-"));
    try {
      // A real in-flight express order of v1: replayed on v2 it reaches (and diverges at) "expedite".
      const history = await recordHistory({ module: `${drift}new-input-field/v1.ts`, input: { id: 1, express: true }, stubs: { activities: { reserve: "r1", charge: "c1", ship: "s1" } } });
      writeFileSync(join(dir, "express.json"), writeHistory(history, "protobuf-json"));
      // A fixed input (no seeds from the history): the worlds alone never take the express branch.
      const options = { baseline: `${drift}new-input-field/v1.ts`, candidate: `${drift}new-input-field/v2.ts`, fuzz: { input: { id: 1 } }, runs: 10, seed: 2, outDir: false } as const;
      const worldsOnly = await checkDrift(options);
      expect(worldsOnly.inconclusive?.reason).toBe("unreached-change");
      expect(sites(worldsOnly.coverage)).toEqual([[5, "reserve", true], [6, "expedite", false], [7, "charge", true], [8, "ship", true]]);
      const result = await checkDrift({ ...options, histories: dir });
      expect(result.failure).toBeUndefined();
      expect(result.inconclusive).toBeUndefined();
      expect(sites(result.coverage)).toEqual([[5, "reserve", true], [6, "expedite", true], [7, "charge", true], [8, "ship", true]]);
      expect(result.saved).toMatchObject({ ok: 0, diverged: 1 });
      expect(result.ok).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("passes a version-gated candidate whose new call old instances never reach", async () => {
    const result = await checkDrift({ baseline: `${drift}inserted-activity/v1.ts`, candidate: `${drift}inserted-activity/v2-versioned.ts`, baselineVersion: "1.0", fuzz: { input: fc.record({ id: fc.nat(99) }) }, runs: 20, seed: 3, outDir: false });
    expect(result.ok).toBe(true);
    expect(result.inconclusive).toBeUndefined();
    expect(result.coverage!.sites.map((s) => [s.name, s.reached, s.versionGated])).toEqual([
      ["reserve", true, false],
      ["checkFraud", false, true],
      ["charge", true, false],
      ["ship", true, false],
    ]);
  });

  it("reports an orchestrator that never finishes instead of counting its worlds as checked", async () => {
    const result = await checkDeterminism(`${coverage}loops-forever.ts`, { fuzz: { maxEpisodes: 12 }, runs: 5, seed: 1, outDir: false });
    expect(result.failure).toBeUndefined();
    expect(result.ok).toBe(false);
    expect(result.outcomes).toEqual({ running: 5 });
    expect(result.unfinished).toEqual({
      maxEpisodes: 12,
      histories: 5,
      message: "does not finish within 12 episodes: all 5 generated instances were still running when the world stopped, so the orchestrator may loop forever",
      hint: "give the loop an exit the orchestrator reaches, or end each iteration of an eternal orchestration with continueAsNew; if it legitimately needs more episodes, raise fuzz.maxEpisodes in dtcheck.config",
      location: { file: `${coverage}loops-forever.ts`, line: 5, column: 1 },
    });
    const drifted = await checkDrift({ baseline: `${coverage}loops-forever.ts`, candidate: `${coverage}loops-forever.ts`, fuzz: { maxEpisodes: 12 }, runs: 5, seed: 1, outDir: false });
    expect(drifted.ok).toBe(false);
    expect(drifted.unfinished?.message).toBe(result.unfinished!.message);
  });
});

describe("guided exploration", () => {
  // Each result is one of 10 values: a random world reaches the renamed call once in 100.
  const fuzz = { input: fc.nat(), activities: { first: fc.nat(9), second: fc.nat(9) }, failurePercent: 0, lifecycle: false };
  const pair = { baseline: `${coverage}two-conditions-v1.ts`, candidate: `${coverage}two-conditions-v2.ts` };

  it("finds a change behind two conditions on results within the default runs, by mutating the worlds that reached new call sites", async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const result = await checkDrift({ ...pair, fuzz, seed, outDir: false });
      expect(result.failure?.divergence?.message, `seed ${seed}`).toBe('the history recorded activity "rareStep" with id 3, but the code now makes activity "audit"');
      // A guided world depends on the worlds before it: the seed reproduces it, a counterexample path alone would not.
      expect(result.failure!.counterexamplePath).toBeUndefined();
    }
  });

  it("reproduces the same shrunk failure from the same seed", async () => {
    const first = await checkDrift({ ...pair, fuzz, seed: 3, outDir: false });
    const again = await checkDrift({ ...pair, fuzz, seed: 3, outDir: false });
    expect(again.failure!.history).toEqual(first.failure!.history);
    expect(again.runs).toBe(first.runs);
    expect(first.failure!.history.events.map((e) => e.kind)).toEqual([
      "orchestratorStarted", "executionStarted", "taskScheduled", "orchestratorCompleted",
      "orchestratorStarted", "taskCompleted", "taskScheduled", "orchestratorCompleted",
      "orchestratorStarted", "taskCompleted", "taskScheduled", "orchestratorCompleted",
    ]);
  });
});
