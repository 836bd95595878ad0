import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { checkDrift } from "../../src/drift/check-drift.js";
import type { FuzzConfig } from "../../src/fuzz/config.js";

/*
 * Each drift kind, fuzzed from v1 (the deployed code, stamping version 1.0 on its instances):
 * the unguarded v2 must fail with the exact first divergence, shrunk to the smallest in-flight
 * instance (8 events: started, reserve scheduled, reserve completed, the diverging call); the
 * version-gated v2 must pass.
 */
const dir = fileURLToPath(new URL("../../../../fixtures/drift/", import.meta.url));
const order: FuzzConfig = { input: fc.record({ id: fc.nat(99), express: fc.boolean() }) };
const items: FuzzConfig = { input: fc.record({ items: fc.array(fc.nat(9), { minLength: 1, maxLength: 4 }) }) };

interface Case {
  kind: string;
  fuzz: FuzzConfig;
  expected: Record<string, unknown>;
  produced: Record<string, unknown>;
  reason: string;
  line: number;
}

const durabletask: Case[] = [
  { kind: "renamed-activity", fuzz: order, reason: "wrong-name", expected: { kind: "activity", id: 2, name: "charge" }, produced: { kind: "activity", id: 2, name: "chargeCard" }, line: 6 },
  { kind: "inserted-activity", fuzz: order, reason: "wrong-name", expected: { kind: "activity", id: 2, name: "charge" }, produced: { kind: "activity", id: 2, name: "checkFraud" }, line: 6 },
  { kind: "inserted-timer", fuzz: order, reason: "wrong-kind", expected: { kind: "activity", id: 2, name: "charge" }, produced: { kind: "timer", id: 2, fireAt: "2026-01-05T09:01:01.000Z" }, line: 6 },
  { kind: "reordered-calls", fuzz: order, reason: "wrong-name", expected: { kind: "activity", id: 2, name: "charge" }, produced: { kind: "activity", id: 2, name: "ship" }, line: 6 },
  { kind: "fanout-width", fuzz: items, reason: "wrong-name", expected: { kind: "activity", id: 2, name: "notify" }, produced: { kind: "activity", id: 2, name: "pack", input: '"gift-note"' }, line: 6 },
  {
    kind: "changed-suborchestration",
    fuzz: order,
    reason: "wrong-name",
    expected: { kind: "subOrchestration", id: 2, name: "shipDomestic" },
    produced: { kind: "subOrchestration", id: 2, name: "shipWithTracking" },
    line: 6,
  },
  { kind: "new-input-field", fuzz: order, reason: "wrong-name", expected: { kind: "activity", id: 2, name: "charge" }, produced: { kind: "activity", id: 2, name: "expedite" }, line: 6 },
];

// Durable Functions numbers tasks from 0 (as DTFx does), so the second call has id 1.
const durableFunctions: Case[] = [
  { kind: "renamed-activity", fuzz: order, reason: "wrong-name", expected: { kind: "activity", id: 1, name: "charge" }, produced: { kind: "activity", id: 1, name: "chargeCard" }, line: 8 },
  { kind: "inserted-timer", fuzz: order, reason: "wrong-kind", expected: { kind: "activity", id: 1, name: "charge" }, produced: { kind: "timer", id: 1 }, line: 8 },
  { kind: "new-input-field", fuzz: order, reason: "wrong-name", expected: { kind: "activity", id: 1, name: "charge" }, produced: { kind: "activity", id: 1, name: "expedite" }, line: 8 },
];

describe.each([
  { sdk: "durabletask", sub: "", cases: durabletask },
  { sdk: "durable-functions", sub: "durable-functions/", cases: durableFunctions },
])("$sdk drift fixtures", ({ sub, cases }) => {
  it.each(cases)("$kind: unguarded v2 fails with the exact divergence, shrunk to 8 events", async (c) => {
    const candidate = `${dir}${c.kind}/${sub}v2.ts`;
    const result = await checkDrift({
      baseline: `${dir}${c.kind}/${sub}v1.ts`,
      candidate,
      baselineVersion: "1.0",
      fuzz: c.fuzz,
      runs: 50,
      seed: 42,
      outDir: false,
    });
    expect(result.ok).toBe(false);
    const failure = result.failure!;
    expect(failure.property).toBe("drift");
    expect(failure.divergence).toMatchObject({
      reason: c.reason,
      episode: 1,
      eventIndex: 6,
      expected: c.expected,
      produced: { ...c.produced, location: { file: candidate, line: c.line } },
    });
    expect(failure.history.events).toHaveLength(8);
    expect(failure.message).toContain("episode 1, history event #6");
    expect(failure.hint).toMatch(sub ? /context\.df\.version/ : /compareVersionTo/);
  });

  it.each(cases)("$kind: version-gated v2 keeps old instances on the old path and passes", async (c) => {
    const result = await checkDrift({
      baseline: `${dir}${c.kind}/${sub}v1.ts`,
      candidate: `${dir}${c.kind}/${sub}v2-versioned.ts`,
      baselineVersion: "1.0",
      fuzz: c.fuzz,
      runs: 25,
      seed: 42,
      outDir: false,
    });
    expect(result.failure?.message).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(result.runs).toBe(25);
    // Every prefix of every history was replayed, so there are more replays than histories.
    expect(result.replays).toBeGreaterThan(result.histories);
    expect(result.outcomes.completed).toBeGreaterThan(0);
  });
});

describe("the new input field needs the twist the shrinker keeps", () => {
  it("shrinks the input to the one value that breaks: express true, id 0", async () => {
    const result = await checkDrift({
      baseline: `${dir}new-input-field/v1.ts`,
      candidate: `${dir}new-input-field/v2.ts`,
      fuzz: order,
      runs: 50,
      seed: 42,
      outDir: false,
    });
    expect(result.failure!.world).toContainEqual({ id: 0, express: true });
    expect(result.failure!.history.events[1]).toMatchObject({ kind: "executionStarted", name: "order", input: '{"id":0,"express":true}' });
  });
});

describe("strict drift checks", () => {
  it("a changed call input replays for the runtime, and strict mode reports it with the exact inputs", async () => {
    const options = { baseline: `${dir}changed-input/v1.ts`, candidate: `${dir}changed-input/v2.ts`, fuzz: order, runs: 30, seed: 42, outDir: false } as const;
    expect((await checkDrift(options)).ok).toBe(true);
    const strict = await checkDrift({ ...options, strict: true });
    expect(strict.failure!.divergence).toMatchObject({
      reason: "input",
      episode: 1,
      eventIndex: 6,
      expected: { kind: "activity", id: 2, name: "charge", input: "null" },
      produced: { kind: "activity", id: 2, name: "charge", input: '{"reservation":null,"currency":"EUR"}' },
    });
    expect(strict.failure!.history.events).toHaveLength(8);
  });
});
