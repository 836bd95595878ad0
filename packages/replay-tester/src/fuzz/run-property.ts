import fc from "fast-check";
import { worldStarts } from "../contain/heartbeat.js";
import { choicesFrom, drawIndex, type Choices } from "./choices.js";
import { GuidedExploration } from "./guided.js";
import { freshSeed } from "./seed.js";

export interface PropertyOptions {
  /** Fuzzed worlds to try before declaring success (default 100). */
  runs?: number;
  /** fast-check seed; a random one is chosen (and reported) when absent. */
  seed?: number;
  /** fast-check counterexample path, to replay one failing world directly. */
  path?: string;
  /** Stop generating new worlds after this long (shrinking still completes). */
  timeLimitMs?: number;
  /** Turn off the coverage-guided mutation of kept worlds (plain fast-check generation only). */
  unguided?: boolean;
}

export interface PropertyRun<F> {
  seed: number;
  /** Predicate executions, shrinking included. */
  executions: number;
  /** Worlds explored: the executions up to and including the first failure (all of them when none failed), without the shrinking. */
  explored: number;
  /** The minimal failure found (the last failing execution: fast-check moves to every smaller failure it finds). */
  failure?: F;
  world?: unknown[];
  shrinks: number;
  counterexamplePath?: string;
}

export { freshSeed } from "./seed.js";

/**
 * Runs `body` on fuzzed worlds with fast-check (async property over `fc.gen()`), shrinking any
 * failure to a minimal world. `body` returns a failure description or undefined. An exception
 * that is not a property failure (a bug in the user's setup, such as a module that does not load)
 * stops the run and is rethrown rather than being shrunk.
 */
export async function runFuzzProperty<F>(
  body: (choices: Choices) => Promise<F | undefined>,
  options: PropertyOptions = {},
  /** Subscribes the exploration to "a run reached a durable call site no earlier one did" (see GuidedExploration). */
  watchNewSites?: (listener: () => void) => void,
): Promise<PropertyRun<F>> {
  const seed = options.seed ?? freshSeed();
  let executions = 0;
  let firstFailureAt: number | undefined;
  let last: { failure: F; world: unknown[]; guided: boolean } | undefined;
  // A counterexample path replays one world without the ones before it, so it cannot rebuild a corpus: no guidance then.
  const guided = watchNewSites && !options.unguided && options.path === undefined ? new GuidedExploration() : undefined;
  if (guided) watchNewSites!(guided.newSite);
  let fatal: { error: unknown } | undefined;
  const property = fc.asyncProperty(fc.gen(), async (g) => {
    if (fatal) return true;
    executions++;
    worldStarts();
    let failure: F | undefined;
    const base = choicesFrom(g);
    try {
      failure = await body(guided ? guided.choices(base, () => drawIndex(g)) : base);
    } catch (error) {
      fatal = { error };
      return true;
    }
    if (failure === undefined) {
      guided?.passed();
      return true;
    }
    guided?.failed();
    firstFailureAt ??= executions;
    last = { failure, world: g.values(), guided: guided?.guiding ?? false };
    return false;
  });
  const details = await fc.check(property, {
    numRuns: options.runs ?? 100,
    seed,
    // fc.gen() draws its values inside the property, so fast-check cannot walk a shrink path
    // without running it ("Unable to replay, got wrong path"): start from the failing run (the
    // path's first step) and shrink again, which with the same seed ends at the same minimal world.
    path: options.path?.split(":")[0],
    interruptAfterTimeLimit: options.timeLimitMs,
    markInterruptAsFailure: false,
  });
  if (fatal) throw fatal.error;
  const run: PropertyRun<F> = { seed, executions, explored: firstFailureAt ?? executions, shrinks: 0 };
  if (details.failed && last) {
    run.failure = last.failure;
    run.world = last.world;
    run.shrinks = details.numShrinks;
    // With a corpus, a world depends on the worlds before it: the seed alone reproduces it.
    run.counterexamplePath = last.guided ? undefined : (details.counterexamplePath ?? undefined);
  }
  return run;
}
