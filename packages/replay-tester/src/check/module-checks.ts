/**
 * Whole-module checks, as a pre-deploy step runs them: every orchestrator a worker module
 * registers is fuzzed (determinism) or drift-checked against the deployed version, not just one.
 */
import { resolve } from "node:path";
import type { OrchestratorTarget } from "../engines/engine.js";
import { InputError } from "../errors.js";
import { checkDeterminism, type DeterminismOptions } from "../fuzz/check-determinism.js";
import { checkDrift, type DriftOptions } from "../drift/check-drift.js";
import type { DriftResult, FuzzResult } from "../fuzz/result.js";
import { freshSeed } from "../fuzz/run-property.js";
import { parseGitSpec } from "../git/git-spec.js";
import { withGitCheckout } from "../git/worktree.js";
import { loadModule, type LoadedModule } from "../load/load-module.js";
import { replayHistories } from "../replay/replay-histories.js";
import type { ReplaySummary } from "../replay/result.js";
import type { FuzzConfig } from "../fuzz/config.js";
import { selectLane, selectShard, type Lane, type Shard } from "../shard/shard.js";
import { seedsFromHistories, type HistorySeeds } from "../inputs/seeds.js";

function pickTargets(module: LoadedModule, names: readonly string[] | undefined, source: string, shard: Shard | undefined, lane: Lane | undefined): OrchestratorTarget[] {
  if (!names?.length) return selectLane(selectShard([...module.orchestrators.values()], (target) => target.name, shard), lane);
  const targets = names.map((name) => {
    const target = module.orchestrators.get(name);
    if (!target) {
      throw new InputError(`has no orchestrator "${name}"; it registers: ${[...module.orchestrators.keys()].join(", ") || "none"}`, { file: source });
    }
    return target;
  });
  // Names are checked before sharding: a typo fails in every shard, not only in the one it hashes to.
  return selectLane(selectShard(targets, (target) => target.name, shard), lane);
}

/** `fuzz.inputs` (and `--input name=...`) may only name orchestrators the module registers: a typo must not be ignored. */
function checkInputNames(config: FuzzConfig | undefined, module: LoadedModule, source: string): void {
  for (const name of Object.keys(config?.inputs ?? {})) {
    if (module.orchestrators.has(name)) continue;
    throw new InputError(
      `registers no orchestrator "${name}", which fuzz.inputs / --input ${name}=... gives an input for; it registers: ${[...module.orchestrators.keys()].join(", ") || "none"}`,
      { file: source },
    );
  }
}

/** Saved histories read once for every orchestrator of a module. */
async function moduleSeeds(paths: (string | string[] | undefined)[], given: HistorySeeds | undefined, cwd: string): Promise<HistorySeeds | undefined> {
  if (given) return given;
  const all = paths.flatMap((p) => (p === undefined ? [] : typeof p === "string" ? [p] : p));
  return all.length > 0 ? seedsFromHistories(all, cwd) : undefined;
}

export interface ModuleFuzzOptions extends Omit<DeterminismOptions, "orchestrator"> {
  /** Only these orchestrators (default: every one the module registers). */
  orchestrators?: string[];
  /** Only the orchestrators of this shard (by name), for runs split between CI jobs. */
  shard?: Shard;
  /** Only this thread's part of them (see Lane). */
  lane?: Lane;
  /** Called as each orchestrator's check starts. */
  onStart?: (orchestrator: string) => void;
  onResult?: (result: FuzzResult) => void;
}

/** Property 1 for every orchestrator of a module, one shared seed so the whole run reproduces. */
export async function fuzzModule(modulePath: string, options: ModuleFuzzOptions = {}): Promise<FuzzResult[]> {
  const cwd = options.cwd ?? process.cwd();
  const module = await loadModule(resolve(cwd, modulePath));
  checkInputNames(options.fuzz, module, modulePath);
  const seed = options.seed ?? freshSeed();
  const seeds = await moduleSeeds([options.seedHistories], options.seeds, cwd);
  const results: FuzzResult[] = [];
  for (const target of pickTargets(module, options.orchestrators, modulePath, options.shard, options.lane)) {
    options.onStart?.(target.name);
    const result = await checkDeterminism(target, { ...options, seed, seeds });
    results.push(result);
    options.onResult?.(result);
  }
  return results;
}

export interface ModuleDriftOptions extends Omit<DriftOptions, "baseline" | "candidate" | "orchestrator" | "histories"> {
  /** The deployed code: a module path or `git:<ref>:<path>`. */
  baseline: string;
  /** How to name the baseline in results when `baseline` is a checkout made by the caller (the git spec it came from). */
  baselineLabel?: string;
  /** The code about to be deployed: a module path. */
  candidate: string;
  orchestrators?: string[];
  /** Only the orchestrators (by name) and saved histories (by path) of this shard. */
  shard?: Shard;
  /** Only this thread's part of the orchestrators; lane 0 replays the saved histories. */
  lane?: Lane;
  /** Saved histories replayed once against the candidate (files, directories, globs). */
  histories?: string | string[];
  /** Called as each orchestrator's check starts. */
  onStart?: (orchestrator: string) => void;
  onResult?: (result: DriftResult) => void;
}

export interface ModuleDriftResult {
  baseline: string;
  candidate: string;
  seed: number;
  /** One per orchestrator present in both versions. */
  results: DriftResult[];
  /** Orchestrators the baseline registers and the candidate does not: their in-flight instances cannot finish. */
  removed: string[];
  saved?: ReplaySummary;
}

async function withBaselineModule<T>(baseline: string, cwd: string, fn: (module: LoadedModule) => Promise<T>): Promise<T> {
  const git = parseGitSpec(baseline);
  if (git) return withGitCheckout(git, cwd, async (file) => fn(await loadModule(file)));
  return fn(await loadModule(resolve(cwd, baseline)));
}

/**
 * Property 2 for every orchestrator the baseline registers (a git baseline is checked out once),
 * and property 3 once for the saved histories.
 */
export async function driftModules(options: ModuleDriftOptions): Promise<ModuleDriftResult> {
  const cwd = options.cwd ?? process.cwd();
  const seed = options.seed ?? freshSeed();
  const candidate = await loadModule(resolve(cwd, options.candidate));
  const seeds = await moduleSeeds([options.histories, options.seedHistories], options.seeds, cwd);
  const baselineLabel = options.baselineLabel ?? options.baseline;
  const checkedOut = options.baselineLabel !== undefined || parseGitSpec(options.baseline) !== undefined;
  return withBaselineModule(options.baseline, cwd, async (baselineModule) => {
    checkInputNames(options.fuzz, baselineModule, options.baseline);
    const results: DriftResult[] = [];
    const removed: string[] = [];
    for (const baselineTarget of pickTargets(baselineModule, options.orchestrators, options.baseline, options.shard, options.lane)) {
      const candidateTarget = candidate.orchestrators.get(baselineTarget.name);
      if (!candidateTarget) {
        removed.push(baselineTarget.name);
        continue;
      }
      // A target from a temporary git worktree is named by the spec the user gave, not the temp path.
      const baselineLabelled = checkedOut
        ? { ...baselineTarget, modulePath: undefined, sourceFile: baselineTarget.sourceFile ?? baselineTarget.modulePath }
        : baselineTarget;
      options.onStart?.(baselineTarget.name);
      const result = await checkDrift({ ...options, histories: undefined, seed, seeds, baseline: baselineLabelled, candidate: candidateTarget });
      results.push({ ...result, baseline: baselineLabel, candidate: options.candidate });
      options.onResult?.(result);
    }
    // Side by side, one thread replays the saved histories: lane 0.
    const saved = options.histories && !options.lane?.index ? await replayHistories(options.histories, { module: candidate, cwd, strict: options.strict, shard: options.shard }) : undefined;
    return { baseline: baselineLabel, candidate: options.candidate, seed, results, removed, saved };
  });
}
