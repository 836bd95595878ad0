import fc from "fast-check";
import type { CallSiteSink, OrchestratorTarget } from "../engines/engine.js";
import type { History } from "../history/model.js";
import { FUZZ_CLOCK_START, reseedSession, withPerturbation, type Perturbation } from "../perturb/environment.js";
import { simulate, type Simulation } from "../simulate/simulate.js";
import type { Choices } from "./choices.js";
import { inputArbitrary, type FuzzConfig } from "./config.js";
import { withEventDiscovery } from "./discover-events.js";
import { FuzzWorld } from "./world.js";

export interface GenerateOptions {
  /** Stamped into every ExecutionStarted (the version the instances were started with). */
  version?: string;
  instanceId?: string;
  /**
   * External event names the code waits for, shared across runs: discovered while running, so
   * later runs (and later steps of the same run) can raise them.
   */
  discoveredEvents?: Set<string>;
  /** Records the call sites the generations reach. */
  coverage?: CallSiteSink;
}

/**
 * A world's random seed: unbiased, as fast-check's integers favour small values, which would give
 * most worlds the same few seeds (and the same draws); it still shrinks toward 0.
 */
const RANDOM_SEED = fc.noBias(fc.nat({ max: 0x7fffffff }));

/** How simulate reports that the orchestrator rejected its own history. */
const SELF_REPLAY_FAILURE = "the orchestrator is not deterministic";

/**
 * The orchestrator could not replay the history it had just produced; carries that history. Only
 * generations replayed episode by episode find this (durable-functions, SDK copies without a
 * session); the checks find it for the others by replaying what was generated.
 */
export class SelfReplayError extends Error {
  override readonly name = "SelfReplayError";
  constructor(
    message: string,
    /** The history up to (and including the delivered events of) the episode that failed. */
    readonly history: History,
    /** Earlier continue-as-new generations, which completed normally. */
    readonly earlier: Simulation[],
  ) {
    super(message);
  }
}

/** One fuzzed instance: the history of each continue-as-new generation, first to last. */
export interface GeneratedInstance {
  input: unknown;
  generations: Simulation[];
}

/**
 * Runs the orchestrator forward through one fuzzed world with its SDK's own executor, following
 * continue-as-new into new generations (each a fresh history, as the runtime starts one).
 * Throws what simulate throws, e.g. when the orchestrator cannot replay its own history.
 */
export async function generateInstance(
  target: OrchestratorTarget,
  choices: Choices,
  config: FuzzConfig,
  options: GenerateOptions = {},
): Promise<GeneratedInstance> {
  const discovered = options.discoveredEvents ?? new Set<string>();
  // The Durable Functions host applies terminate and suspend itself (its JS executor ignores those
  // events), so the world only sends them to the durabletask-js executors, which handle them.
  const lifecycle = config.lifecycle ?? target.sdk !== "durable-functions";
  const input = choices.value(inputArbitrary(config));
  // Runs with seeded Math.random and crypto: even code that wrongly uses them then yields the same
  // history for the same fast-check seed, so failures reproduce. Inside a seeded session (the
  // checks open one per run) that is a cheap reseed; otherwise the globals are patched for this call.
  const run = () => generateGenerations(target, choices, config, input, lifecycle, discovered, options);
  // Each world draws its own seed, the first time its code reads randomness: a branch on
  // Math.random() then goes both ways across worlds, and the replay's fixed seed differs from most.
  if (reseedSession(() => choices.value(RANDOM_SEED))) return run();
  return withPerturbation(GENERATION_ENVIRONMENT, run);
}

/** Seeded randomness, the clock at fuzzing's fixed start, environment untouched. */
export const GENERATION_ENVIRONMENT: Perturbation = { clockAt: FUZZ_CLOCK_START, clockShiftMs: 0, randomSeed: 0x5eed, env: {} };

async function generateGenerations(
  target: OrchestratorTarget,
  choices: Choices,
  config: FuzzConfig,
  input: unknown,
  lifecycle: boolean,
  discovered: Set<string>,
  options: GenerateOptions,
): Promise<GeneratedInstance> {
  const generations: Simulation[] = [];
  let next: unknown = input;
  const maxGenerations = config.maxGenerations ?? 3;
  for (let generation = 0; generation < maxGenerations; generation++) {
    const world = new FuzzWorld(choices, config, discovered, lifecycle);
    let simulation: Simulation;
    try {
      simulation = await withEventDiscovery(target, discovered, () =>
        simulate(target, world, {
          input: next,
          version: options.version,
          instanceId: options.instanceId,
          maxEpisodes: (config.maxEpisodes ?? 60) + 1,
          // The history starts when the generation's clock does, as an instance's first run starts at
          // about the time its worker reads: a timer set from the wall clock (new Date(Date.now() +
          // 60_000)) is then a minute away in the history too, not years past its start.
          startTime: new Date(FUZZ_CLOCK_START),
          coverage: options.coverage,
          // Every check judges what is generated by real replays (fuzz's perturbed ones, drift's on
          // the candidate and the baseline), so the generation need not replay each episode itself.
          oneExecution: true,
        }),
      );
    } catch (error) {
      if (error instanceof Error && error.message.startsWith(SELF_REPLAY_FAILURE)) {
        throw new SelfReplayError(error.message, { events: [...world.lastEvents] }, generations);
      }
      throw error;
    }
    generations.push(simulation);
    if (simulation.status !== "continuedAsNew") break;
    next = simulation.continuedWith === undefined ? undefined : JSON.parse(simulation.continuedWith);
  }
  return { input, generations };
}
