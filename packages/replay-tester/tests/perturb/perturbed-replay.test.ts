import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { DurableCall } from "../../src/engines/engine.js";
import { loadModule, pickOrchestrator } from "../../src/load/load-module.js";
import { DEFAULT_PERTURBATIONS } from "../../src/perturb/environment.js";
import { perturbedDifference } from "../../src/perturb/perturbed-replay.js";
import { simulate } from "../../src/simulate/simulate.js";
import type { World } from "../../src/simulate/world.js";

const hidden = fileURLToPath(new URL("../../../../fixtures/drift/hidden-clock/", import.meta.url));

/** Completes every pending activity with its id times ten. */
const completeAll: World = {
  next: (state) => (state.pending.length ? { events: state.pending.map((call) => ({ type: "complete" as const, id: call.id, result: String(call.id * 10) })) } : undefined),
};

describe("perturbedDifference compares with the actions of the run that made the history", () => {
  it("a deterministic orchestrator: the generation's actions and a perturbed replay agree", async () => {
    const target = pickOrchestrator(await loadModule(`${hidden}fixed.ts`), "checkout");
    const simulation = await simulate(target, completeAll, { input: { id: 3 } });
    expect(simulation.episodeActions.map((actions) => actions.map((call) => call.kind))).toEqual([["activity"], ["activity"], ["completion"]]);
    expect(await perturbedDifference(target, simulation.history, DEFAULT_PERTURBATIONS, simulation.episodeActions)).toBeUndefined();
  });

  it("the recorded actions are what the replay is held to: one changed input is the difference found", async () => {
    const target = pickOrchestrator(await loadModule(`${hidden}fixed.ts`), "checkout");
    const simulation = await simulate(target, completeAll, { input: { id: 3 } });
    const recorded: DurableCall[][] = simulation.episodeActions.map((actions) => actions.map((call) => ({ ...call })));
    recorded[1]![0]!.input = '{"receipt":"edited"}';
    const difference = await perturbedDifference(target, simulation.history, DEFAULT_PERTURBATIONS, recorded);
    expect(difference).toMatchObject({ episode: 1, field: "input", first: { name: "sendReceipt", input: '{"receipt":"edited"}' }, second: { name: "sendReceipt" } });
    expect(difference!.second!.input).toBe(simulation.episodeActions[1]![0]!.input);
  });

  it("without recorded actions (or with actions of another history), both environments are replayed", async () => {
    const target = pickOrchestrator(await loadModule(`${hidden}orchestrator.ts`), "checkout");
    const simulation = await simulate(target, completeAll, { input: { id: 3 } });
    for (const recorded of [undefined, simulation.episodeActions.slice(1)]) {
      const difference = await perturbedDifference(target, simulation.history, DEFAULT_PERTURBATIONS, recorded);
      expect(difference).toMatchObject({ episode: 1, field: "input", first: { name: "sendReceipt" }, second: { name: "sendReceipt" } });
    }
  });
});
