import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { checkDrift } from "../../src/drift/check-drift.js";
import { checkDeterminism } from "../../src/fuzz/check-determinism.js";
import { choicesFrom } from "../../src/fuzz/choices.js";
import { readFuzzConfig, type FuzzConfig } from "../../src/fuzz/config.js";
import { generateInstance } from "../../src/fuzz/generate.js";
import type { HistoryEvent } from "../../src/history/model.js";
import { loadModule, pickOrchestrator } from "../../src/load/load-module.js";
import { EntityInstanceId, type LockHandle, type OrchestrationContext } from "@microsoft/durabletask-js";
import type { OrchestratorTarget } from "../../src/engines/engine.js";
import { findDurableTaskRoots } from "../../src/engines/durabletask/sdk.js";
import { replayHistory } from "../../src/replay/replay-history.js";

const apps = fileURLToPath(new URL("../../../../fixtures/apps/", import.meta.url));
const here = fileURLToPath(new URL("./entity-drift/", import.meta.url));
const batch = fc.record({ page: fc.constantFrom("/pricing", "/docs"), views: fc.nat(3) });

const sdks = [
  { sdk: "durabletask", module: `${apps}durabletask/entity-counter/orchestrators.ts`, renamed: `${here}durabletask-v2.ts` },
  { sdk: "durable-functions", module: `${apps}durable-functions/entity-counter/index.ts`, renamed: `${here}durable-functions-v2.ts` },
];

/** The total the orchestrator passed on to publishViews, in each generated history that got that far. */
function publishedTotals(events: readonly HistoryEvent[]): unknown[] {
  return events
    .filter((e) => e.kind === "taskScheduled" && e.name === "publishViews")
    .map((e) => (JSON.parse((e as { input: string }).input) as { views: unknown }).views);
}

/** Whether the history holds the entity's answer to the call (failed or not). */
function answered(sdk: string, events: readonly HistoryEvent[]): { ok: boolean; failed: boolean } {
  if (sdk === "durabletask") {
    return { ok: events.some((e) => e.kind === "entityOperationCompleted"), failed: events.some((e) => e.kind === "entityOperationFailed") };
  }
  // Durable Functions: the answer is an EventRaised named after the request id, holding a DTFx ResponseMessage.
  const responses = events.filter((e) => e.kind === "eventRaised").map((e) => JSON.parse((e as { input: string }).input) as Record<string, unknown>);
  return { ok: responses.some((r) => !("exceptionType" in r)), failed: responses.some((r) => "exceptionType" in r) };
}

describe.each(sdks)("$sdk entity calls in fuzzed worlds", ({ sdk, module, renamed }) => {
  it("answer callEntity with the configured arbitrary (or fail it), so the orchestrator runs past the call", async () => {
    const target = pickOrchestrator(await loadModule(module), "countPageViews");
    const config: FuzzConfig = { input: batch, entities: { "Counter.Get": fc.constantFrom(41, 42) }, failurePercent: 30, lifecycle: false };
    const totals = new Set<unknown>();
    let ok = 0;
    let failed = 0;
    await fc.assert(
      fc.asyncProperty(fc.gen(), async (g) => {
        const instance = await generateInstance(target, choicesFrom(g), config);
        const events = instance.generations[0]!.history.events;
        for (const total of publishedTotals(events)) totals.add(total);
        const answer = answered(sdk, events);
        if (answer.ok) ok++;
        if (answer.failed) failed++;
      }),
      { numRuns: 40, seed: 5 },
    );
    // The key matched case-insensitively and only its values reached the activity.
    expect([...totals].sort()).toEqual([41, 42]);
    expect(ok).toBeGreaterThan(0);
    expect(failed).toBeGreaterThan(0);
  });

  it("pass the determinism check", async () => {
    const result = await checkDeterminism(module, { orchestrator: "countPageViews", fuzz: { input: batch }, runs: 25, seed: 3, outDir: false });
    expect(result.failure?.message).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(result.outcomes.completed).toBeGreaterThan(0);
  });

  it("catch a renamed entity operation as drift", async () => {
    const options = { baseline: module, candidate: renamed, orchestrator: "countPageViews", fuzz: { input: batch }, runs: 30, seed: 42, outDir: false } as const;
    const loose = await checkDrift(options);
    const strict = await checkDrift({ ...options, strict: true });
    if (sdk === "durabletask") {
      // The SDK checks the operation name of each entityOperationCalled, as the runtime would.
      for (const result of [loose, strict]) {
        expect(result.failure!.divergence).toMatchObject({ reason: "wrong-name", expected: { kind: "entity", name: "get" }, produced: { kind: "entity", name: "read" } });
      }
    } else {
      // Durable Functions sends every entity operation as an EventSent named "op" and DTFx compares
      // only names, so the runtime would replay the renamed call; strict mode sees the operation in the input.
      expect(loose.failure?.message).toBeUndefined();
      expect(strict.failure!.divergence).toMatchObject({ reason: "input", expected: { kind: "sendEvent", name: "op" }, produced: { kind: "sendEvent", name: "op", entity: { operation: "read" } } });
      expect(strict.failure!.divergence!.expected!.input).toContain('"op":"get"');
    }
  });
});

/** A critical section: lock two accounts, read one, move the amount, release. */
async function* transfer(ctx: OrchestrationContext, amount: number) {
  const from = new EntityInstanceId("account", "a");
  const to = new EntityInstanceId("account", "b");
  const lock: LockHandle = yield ctx.entities.lockEntities(from, to);
  try {
    const balance: number = yield ctx.entities.callEntity<number>(from, "balance");
    if (balance < amount) return "insufficient";
    // Inside a critical section the locked entities are called, not signalled (the SDK forbids that).
    yield ctx.entities.callEntity(from, "withdraw", amount);
    yield ctx.entities.callEntity(to, "deposit", amount);
  } finally {
    lock.release();
  }
  yield ctx.callActivity("notify", amount);
  return "moved";
}

describe("entity locks in fuzzed worlds (durabletask-js)", () => {
  it("are granted, so the critical section runs, and every history replays on its own code", async () => {
    const root = findDurableTaskRoots(here).find((r) => r.layout.packageName === "@microsoft/durabletask-js")!;
    const target = { sdk: "durabletask", name: "transfer", fn: transfer, sdkRoot: root.root } as OrchestratorTarget;
    const outcomes = new Set<unknown>();
    await fc.assert(
      fc.asyncProperty(fc.gen(), async (g) => {
        const config: FuzzConfig = { input: fc.constant(10), entities: { "account.balance": fc.constantFrom(5, 50) }, failurePercent: 0, lifecycle: false };
        const history = (await generateInstance(target, choicesFrom(g), config)).generations[0]!.history;
        const kinds = history.events.map((e) => e.kind);
        expect(kinds).toContain("entityLockGranted");
        expect((await replayHistory(history, target, { validated: true, strict: true })).status).toBe("ok");
        const completed = history.events.find((e) => e.kind === "executionCompleted") as { result?: string } | undefined;
        if (completed) outcomes.add(completed.result);
      }),
      { numRuns: 20, seed: 9 },
    );
    expect([...outcomes].sort()).toEqual(['"insufficient"', '"moved"']);
  });
});

describe("fuzz.entities in the config", () => {
  it("must map <entity>.<operation> to arbitraries", () => {
    const counterGet = fc.nat();
    expect(readFuzzConfig({ entities: { "counter.get": counterGet } }, "dtcheck.config.ts").entities).toEqual({ "counter.get": counterGet });
    expect(() => readFuzzConfig({ entities: { counter: fc.nat() } }, "dtcheck.config.ts")).toThrow(
      'fuzz.entities key "counter" must name an entity operation as "<entity>.<operation>", e.g. "counter.get"',
    );
    expect(() => readFuzzConfig({ entities: { "counter.get": 3 } }, "dtcheck.config.ts")).toThrow("fuzz.entities.counter.get is not a fast-check arbitrary");
  });

  it("rejects a setting the worlds do not read, naming the nearest one", () => {
    expect(() => readFuzzConfig({ activity: { charge: fc.nat() } }, "dtcheck.config.ts")).toThrow(
      'dtcheck.config.ts: unknown setting "activity" in the fuzz section; did you mean "activities"? the settings are input, inputs, activities, subOrchestrations, entities, events, failurePercent, lifecycle, maxGenerations, maxEpisodes',
    );
  });
});
