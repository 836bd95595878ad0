import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import "../../src/vitest/index.js";

const drift = fileURLToPath(new URL("../../../../fixtures/drift/", import.meta.url));
const fuzz = { input: fc.record({ id: fc.nat(99), express: fc.boolean() }) };

describe("vitest matchers from @dtcheck/replay-tester/vitest", () => {
  it("toBeDeterministic passes deterministic code and fails with the rendered finding", async () => {
    await expect(`${drift}hidden-clock/fixed.ts`).toBeDeterministic({ fuzz: { input: { id: 1 } }, runs: 10, seed: 1 });
    const failing = expect(`${drift}hidden-clock/orchestrator.ts`).toBeDeterministic({ fuzz: { input: { id: 1 } }, runs: 10, seed: 1 });
    await expect(failing).rejects.toThrow(/failed determinism of checkout: .*seed 1[\s\S]*activity "sendReceipt" #2 differs in input[\s\S]*fix: /);
  });

  it("toReplayWithoutDrift passes a version-gated candidate and fails an unguarded one with the divergence", async () => {
    await expect(`${drift}inserted-timer/v2-versioned.ts`).toReplayWithoutDrift(`${drift}inserted-timer/v1.ts`, { fuzz, baselineVersion: "1.0", runs: 10, seed: 1 });
    const failing = expect(`${drift}inserted-timer/v2.ts`).toReplayWithoutDrift(`${drift}inserted-timer/v1.ts`, { fuzz, runs: 10, seed: 1 });
    await expect(failing).rejects.toThrow(/the history recorded activity "charge" with id 2, but the code now makes timer[\s\S]*fix: keep instances started by the old code on the old path/);
  });

  it("supports .not", async () => {
    await expect(`${drift}hidden-clock/orchestrator.ts`).not.toBeDeterministic({ fuzz: { input: { id: 1 } }, runs: 10, seed: 1 });
    await expect(`${drift}inserted-timer/v2.ts`).not.toReplayWithoutDrift(`${drift}inserted-timer/v1.ts`, { fuzz, runs: 10, seed: 1 });
  });
});
