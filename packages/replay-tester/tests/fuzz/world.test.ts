import { beforeAll, describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import type { OrchestratorTarget } from "../../src/engines/engine.js";
import { choicesFrom } from "../../src/fuzz/choices.js";
import { readFuzzConfig, type FuzzConfig } from "../../src/fuzz/config.js";
import { generateInstance } from "../../src/fuzz/generate.js";
import type { HistoryEvent } from "../../src/history/model.js";
import { validateHistory } from "../../src/history/validate.js";
import { loadModule, pickOrchestrator, type LoadedModule } from "../../src/load/load-module.js";
import { replayHistory } from "../../src/replay/replay-history.js";

const v1 = fileURLToPath(new URL("../../../../fixtures/histories/durabletask/v1.ts", import.meta.url));
let module: LoadedModule;
beforeAll(async () => {
  module = await loadModule(v1);
});

/** Generates `runs` fuzzed instances of one orchestrator and returns every generation's events. */
async function generate(name: string, config: FuzzConfig, runs: number, seed = 11): Promise<HistoryEvent[][][]> {
  const target: OrchestratorTarget = pickOrchestrator(module, name);
  const discoveredEvents = new Set<string>();
  const instances: HistoryEvent[][][] = [];
  await fc.assert(
    fc.asyncProperty(fc.gen(), async (g) => {
      const instance = await generateInstance(target, choicesFrom(g), config, { discoveredEvents });
      const generations: HistoryEvent[][] = [];
      for (const generation of instance.generations) {
        // Every generated history is valid and replays cleanly (strict) on the code that produced it.
        validateHistory(generation.history);
        const replay = await replayHistory(generation.history, target, { strict: true, validated: true });
        expect(replay.status, JSON.stringify(replay.divergence ?? replay.error)).toBe("ok");
        generations.push(generation.history.events);
      }
      instances.push(generations);
    }),
    { numRuns: runs, seed },
  );
  return instances;
}

const kinds = (instances: HistoryEvent[][][]) => new Set(instances.flat(2).map((e) => e.kind));

describe("fuzzed worlds", () => {
  it("cover failures, timers, suspend/resume and terminate, and every history replays on its own code", async () => {
    const seen = kinds(await generate("chain", { input: fc.string() }, 120));
    for (const kind of ["taskCompleted", "taskFailed", "executionSuspended", "executionResumed", "executionTerminated"] as const) {
      expect(seen, kind).toContain(kind);
    }
  });

  it("deliver concurrently pending completions in every order and in batches", async () => {
    const instances = await generate("fanOut", { input: fc.array(fc.integer(), { minLength: 2, maxLength: 4 }), activities: { work: fc.integer(), aggregate: fc.integer() } }, 60);
    let outOfOrder = 0;
    let batched = 0;
    for (const events of instances.map((i) => i[0]!)) {
      const completed = events.filter((e) => e.kind === "taskCompleted" || e.kind === "taskFailed").map((e) => (e as { taskScheduledId: number }).taskScheduledId);
      if (completed.some((id, i) => i > 0 && id < completed[i - 1]!)) outOfOrder++;
      let inEpisode = 0;
      for (const e of events) {
        if (e.kind === "orchestratorStarted") inEpisode = 0;
        if (e.kind === "taskCompleted" && ++inEpisode === 2) batched++;
      }
    }
    expect(outOfOrder).toBeGreaterThan(0);
    expect(batched).toBeGreaterThan(0);
  });

  it("race external events against timers (discovering the event name from the code), with configured payloads", async () => {
    const instances = await generate("approval", { events: { approval: fc.constantFrom("yes", "no") }, lifecycle: false, failurePercent: 0 }, 60);
    const outcomes = new Set<string>();
    for (const events of instances.map((i) => i[0]!)) {
      const raised = events.findIndex((e) => e.kind === "eventRaised");
      const fired = events.findIndex((e) => e.kind === "timerFired");
      if (raised >= 0) expect(["\"yes\"", "\"no\""]).toContain((events[raised] as { input?: string }).input);
      if (raised >= 0 && (fired < 0 || raised < fired)) outcomes.add("event first");
      if (fired >= 0 && (raised < 0 || fired < raised)) outcomes.add("timer first");
      const scheduled = events.filter((e) => e.kind === "taskScheduled").map((e) => (e as { name: string }).name);
      if (outcomes.size && scheduled.length === 2) expect(["proceed", "escalate"]).toContain(scheduled[1]);
    }
    expect(outcomes).toEqual(new Set(["event first", "timer first"]));
  });

  it("fire timers in fireAt order, never before they are due", async () => {
    for (const events of (await generate("timer", {}, 40)).flat()) {
      for (const e of events) {
        if (e.kind === "timerFired") expect(Date.parse(e.timestamp!)).toBeGreaterThanOrEqual(Date.parse(e.fireAt));
      }
    }
  });

  it("apply the call's retry policy to failed attempts (3 attempts, 2 retry timers)", async () => {
    const [instance] = await generate("retry", { failurePercent: 100, lifecycle: false }, 1);
    const events = instance![0]!;
    expect(events.filter((e) => e.kind === "taskScheduled")).toHaveLength(3);
    expect(events.filter((e) => e.kind === "taskFailed")).toHaveLength(3);
    expect(events.filter((e) => e.kind === "timerFired")).toHaveLength(2);
    expect(events.at(-2)).toMatchObject({ kind: "executionCompleted", status: "failed" });
  });

  it("follow continue-as-new into new generations, each its own history", async () => {
    const [instance] = await generate("counter", { input: 0, failurePercent: 0, lifecycle: false, maxGenerations: 5 }, 1);
    const inputs = instance!.map((events) => events.find((e) => e.kind === "executionStarted")).map((e) => (e as { input?: string }).input);
    expect(inputs).toEqual(["0", "1", "2", "3"]);
    expect(instance!.at(-1)!.at(-2)).toMatchObject({ kind: "executionCompleted", status: "completed", result: "3" });
  });

  it("complete and fail sub-orchestrations with values from their arbitraries", async () => {
    const seen = kinds(await generate("parent", { subOrchestrations: { child: fc.constant("grown") }, failurePercent: 30 }, 40));
    expect(seen).toContain("subOrchestrationInstanceCompleted");
    expect(seen).toContain("subOrchestrationInstanceFailed");
  });
});

describe("the fuzz section of dtcheck.config", () => {
  it("accepts arbitraries and plain inputs", () => {
    expect(readFuzzConfig({ inputs: { a: { id: 1 }, b: fc.nat() } }, "dtcheck.config.ts").inputs?.["a"]).toEqual({ id: 1 });
    const config = readFuzzConfig({ input: { id: 1 }, activities: { greet: fc.string() }, events: { approval: fc.boolean() }, failurePercent: 0 }, "dtcheck.config.ts");
    expect(config.failurePercent).toBe(0);
  });

  it.each([
    [{ activities: { greet: "hello" } }, "dtcheck.config.ts: fuzz.activities.greet is not a fast-check arbitrary (got string); use e.g. fc.integer() or fc.constant(value)"],
    [{ events: [fc.string()] }, "dtcheck.config.ts: fuzz.events must map names to fast-check arbitraries, e.g. { events: { name: fc.integer() } }"],
    [{ failurePercent: 150 }, "dtcheck.config.ts: fuzz.failurePercent must be a number from 0 to 100, got 150"],
    [{ maxGenerations: 0 }, "dtcheck.config.ts: fuzz.maxGenerations must be a positive integer, got 0"],
    ["fc.integer()", "dtcheck.config.ts: fuzz must be an object: { input, inputs, activities, subOrchestrations, entities, events }"],
    [{ inputs: [1] }, 'dtcheck.config.ts: fuzz.inputs must map orchestrator names to inputs, e.g. { inputs: { processOrder: { id: 1 } } } or { processOrder: fc.record({ id: fc.nat() }) }'],
    [{ inputs: { processOrder: () => 1 } }, "dtcheck.config.ts: fuzz.inputs.processOrder is a function; give a JSON value or a fast-check arbitrary"],
  ])("rejects %j with one line naming the file and the key", (value, message) => {
    expect(() => readFuzzConfig(value, "dtcheck.config.ts")).toThrow(message);
  });
});

describe("fuzzed Durable Functions worlds", () => {
  it("produce valid histories that replay (strict) on the code that produced them, retries and sub-orchestrations included", async () => {
    const df = await loadModule(fileURLToPath(new URL("../../../../fixtures/histories/durable-functions/v1.ts", import.meta.url)));
    const seen = new Set<string>();
    for (const [name, target] of df.orchestrators) {
      const input = name === "fanOut" ? [1, 2, 3] : name === "counter" ? 0 : "x";
      await fc.assert(
        fc.asyncProperty(fc.gen(), async (g) => {
          const instance = await generateInstance(target, choicesFrom(g), { input, failurePercent: 20 });
          for (const { history } of instance.generations) {
            validateHistory(history);
            const replay = await replayHistory(history, target, { strict: true, validated: true });
            expect(replay.status, `${name}: ${JSON.stringify(replay.divergence ?? replay.error)}`).toBe("ok");
            for (const e of history.events) seen.add(e.kind);
          }
        }),
        { numRuns: 15, seed: 2 },
      );
    }
    for (const kind of ["taskFailed", "timerFired", "subOrchestrationInstanceCompleted", "subOrchestrationInstanceFailed"]) expect(seen, kind).toContain(kind);
    // The Durable Functions host applies terminate and suspend itself, so the world does not send them there.
    expect(seen).not.toContain("executionTerminated");
  });
});
