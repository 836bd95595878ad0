import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { engineFor } from "../../src/engines/index.js";
import type { OrchestratorTarget } from "../../src/engines/engine.js";
import { choicesFrom } from "../../src/fuzz/choices.js";
import { FuzzWorld } from "../../src/fuzz/world.js";
import { loadModule, pickOrchestrator } from "../../src/load/load-module.js";
import { simulate, type Simulation } from "../../src/simulate/simulate.js";

const fixtures = fileURLToPath(new URL("../../../../fixtures/", import.meta.url));
const repository = fileURLToPath(new URL("../../../../", import.meta.url));
let scratch: string;

beforeAll(async () => {
  // A project of its own (tests never write in the repository) that reaches the installed SDKs.
  scratch = await mkdtemp(join(tmpdir(), "dtcheck-one-execution-"));
  await symlink(join(repository, "node_modules"), join(scratch, "node_modules"), "junction");
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A simulation without the failures' stack traces: they name the frames of whichever run made the call (checks compare type and message only). */
function withoutStacks(simulation: Simulation): Simulation {
  const episodeActions = simulation.episodeActions.map((actions) =>
    actions.map(({ failure, ...call }) => (failure ? { ...call, failure: { errorType: failure.errorType, errorMessage: failure.errorMessage } } : call)),
  );
  return { ...simulation, episodeActions };
}

/** The same fuzzed world, driven once with one replay per episode and once as one execution. */
async function both(target: OrchestratorTarget, seed: number, input: unknown): Promise<{ replayed: Simulation; executed: Simulation; replays: number }> {
  const world = () => new FuzzWorld(choicesFrom(fc.sample(fc.gen(), { numRuns: 1, seed })[0]!), { failurePercent: 25 }, new Set(), true);
  const replayed = await simulate(target, world(), { input });
  const engine = engineFor(target.sdk);
  const runEpisode = vi.spyOn(engine, "runEpisode");
  try {
    const executed = await simulate(target, world(), { input, oneExecution: true });
    return { replayed: withoutStacks(replayed), executed: withoutStacks(executed), replays: runEpisode.mock.calls.length };
  } finally {
    runEpisode.mockRestore();
  }
}

describe("simulate as one execution (the generation's fast path)", () => {
  const cases = [
    { module: "histories/durabletask/v1.ts", names: ["chain", "fanOut", "approval", "retry", "parent", "counter", "compensate"], input: 3 },
    { module: "apps/durabletask/entity-counter/worker.ts", names: ["countPageViews"], input: { page: "home", views: 2 } },
    { module: "apps/dapr/chaining/worker.ts", names: ["onboardUser"], input: { userId: "u1", email: "u1@example.com" } },
  ];

  it.each(cases)("$module: the same history and the same actions per episode as replaying every episode, without a replay", async ({ module, names, input }) => {
    const loaded = await loadModule(`${fixtures}${module}`);
    for (const name of names) {
      const target = pickOrchestrator(loaded, name);
      for (const seed of [1, 2, 3, 4, 5, 6]) {
        const { replayed, executed, replays } = await both(target, seed, input);
        expect(executed, `${name}, seed ${seed}`).toEqual(replayed);
        expect(replays, `${name}, seed ${seed}`).toBe(0);
      }
    }
  });

  it.each(["durabletask", "dapr"] as const)("%s: a thrown non-Error (each copy fails it its own way) is left to the copy's replay from that episode on", async (sdk) => {
    const pkg = sdk === "dapr" ? "@dapr/dapr" : "@microsoft/durabletask-js";
    const file = join(scratch, `throws-${sdk}.mjs`);
    const register =
      sdk === "dapr"
        ? `new sdk.WorkflowRuntime({ daprHost: "127.0.0.1", daprPort: "50001" }).registerWorkflow(throwsText);`
        : `new sdk.TaskHubGrpcWorker({ hostAddress: "localhost:4001" }).addOrchestrator(throwsText);`;
    await writeFile(
      file,
      `import * as sdk from ${JSON.stringify(pkg)};\n` +
        `export async function* throwsText(ctx) {\n  const first = yield ctx.callActivity("first");\n  if (first !== undefined) throw "not an Error: " + first;\n  return "done";\n}\n${register}\n`,
    );
    const target = pickOrchestrator(await loadModule(file), "throwsText");
    const outcomes = new Set<string>();
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const { replayed, executed, replays } = await both(target, seed, undefined);
      expect(executed, `seed ${seed}`).toEqual(replayed);
      const completion = executed.history.events.at(-2);
      const failure = completion?.kind === "executionCompleted" ? completion.failure : undefined;
      // What each copy makes of the thrown text, as its own replay reported it.
      const threwText = sdk === "dapr" ? failure?.errorType === "String" && failure.errorMessage === "" : failure?.errorType === "Error" && failure.errorMessage.startsWith("not an Error: ");
      // The episode that threw, replayed, is the only invocation the executed run made.
      expect(replays, `seed ${seed}`).toBe(threwText ? 1 : 0);
      outcomes.add(threwText ? "threw text" : executed.status);
    }
    // Fuzzed results are never undefined: the orchestrator throws its text unless the activity failed.
    expect([...outcomes].sort()).toEqual(["failed", "threw text"]);
  });
});
