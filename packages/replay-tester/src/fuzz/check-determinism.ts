import { performance } from "node:perf_hooks";
import { shownPath } from "../errors.js";
import { CoverageRecorder } from "../coverage/recorder.js";
import { envSettingsIn, siteLocation, staticCallSites, type StaticCallSites } from "../coverage/static-sites.js";
import { summarizeCoverage } from "../coverage/summary.js";
import { earlyErrors, mostlyUnchecked, noCallReached, ownErrors, unfinished } from "../coverage/verdict.js";
import { describeCall } from "../engines/calls.js";
import type { DurableCall, OrchestratorTarget } from "../engines/engine.js";
import { splitEpisodes, type History, type HistoryFormat } from "../history/model.js";
import { DEFAULT_PERTURBATIONS, settingsNow, watchEnvReads, withEnvironmentLock, withPerturbation, withReadEnvChanged, withSeededSession, type Perturbation } from "../perturb/environment.js";
import { perturbedDifference } from "../perturb/perturbed-replay.js";
import { replayHistory } from "../replay/replay-history.js";
import type { ReplayResult } from "../replay/result.js";
import { type FuzzConfig } from "./config.js";
import { resolveFuzzValues, type ValueSourceOptions } from "./values.js";
import { determinismHint, finishFailure, replayCommand, type FoundFailure } from "./failure-report.js";
import { replayConditionalHint } from "../report/fix-hints.js";
import { GENERATION_ENVIRONMENT, generateInstance, SelfReplayError } from "./generate.js";
import type { FuzzResult } from "./result.js";
import { GenerationStats } from "./stats.js";
import { runFuzzProperty, type PropertyOptions } from "./run-property.js";
import { withOrchestrator, type OrchestratorSource } from "./target.js";

export interface FuzzRunOptions extends PropertyOptions, ValueSourceOptions {
  /** The orchestrator's name; optional when the module registers exactly one. */
  orchestrator?: string;
  /** Arbitraries for inputs, results and event payloads (the `fuzz` section of dtcheck.config). */
  fuzz?: FuzzConfig;
  /** Where the minimal failing history is written (default `.dtcheck/failures` under cwd); false to keep it in memory only. */
  outDir?: string | false;
  /** Format of the written history (default protobuf-json). */
  format?: HistoryFormat;
  /** Base directory for relative module paths and git specs (default process.cwd()). */
  cwd?: string;
}

export interface DeterminismOptions extends FuzzRunOptions {
  /** Stamped into ExecutionStarted.version of the generated histories. */
  version?: string;
  /** The two environments every episode is replayed in (default: clock +7 days, other seeds, TZ and env). */
  perturbations?: [Perturbation, Perturbation];
}


function valueOf(call: DurableCall | undefined, field: string): string {
  if (!call) return "no call";
  const value = (call as unknown as Record<string, unknown>)[field];
  return value === undefined ? "(none)" : String(value);
}

/** The history up to the end of one episode (an in-flight instance as the runtime saw it then). */
export function prefixThrough(history: History, episode: number): History {
  const episodes = splitEpisodes(history.events);
  return { events: history.events.slice(0, episodes[episode]!.end) };
}

/**
 * Property 1, determinism of one version: fuzzed worlds drive the orchestrator forward with its
 * SDK's own executor; every episode must replay its own history without divergence, and replaying
 * each episode with the clock moved, randomness reseeded, process.env and TZ changed must produce
 * the actions the generation's own run of it produced (with caller-given perturbations: the actions
 * of two replays, one in each). Catches what static analysis cannot see, such as a
 * Date.now() inside a third-party helper. Failures are shrunk and written as a minimal history.
 */
export async function checkDeterminism(source: OrchestratorSource, options: DeterminismOptions = {}): Promise<FuzzResult> {
  const started = performance.now();
  const cwd = options.cwd ?? process.cwd();
  // One check at a time: the perturbations patch process-wide globals.
  return withEnvironmentLock(() => withOrchestrator(source, { orchestrator: options.orchestrator, cwd }, async ({ target, modulePath }) => {
    const { config, described } = await resolveFuzzValues(target, options.fuzz ?? {}, { ...options, cwd });
    const discoveredEvents = new Set<string>();
    const stats = new GenerationStats(config.maxEpisodes);
    const coverage = new CoverageRecorder();
    // The values the code compares its process.env settings with: the replay sets them, so `=== "on"` flips whatever the variable is now.
    const compared = comparedSettings(staticCallSites(target));

    const run = await withSeededSession(() =>
      runFuzzProperty<FoundFailure>(async (choices) => {
        coverage.beginWorld();
        const envReads = watchEnvReads();
        let generations;
        try {
          generations = (await generateInstance(target, choices, config, { version: options.version, discoveredEvents, coverage })).generations;
        } catch (error) {
          if (!(error instanceof SelfReplayError)) throw error;
          // In the same fixed environment as the generation, so the explanation is reproducible too.
          const replay = await withPerturbation(GENERATION_ENVIRONMENT, () => replayHistory(error.history, target, { validated: true }));
          return selfReplayFailure(target, error.history, replay, cwd, error.message);
        }
        for (const generation of generations) {
          stats.add(generation);
          // The generation's own run of each episode (its clock, its world's random seed, the
          // environment untouched) differs from the second default perturbation in all it changes
          // (clock, seed, TZ, env): it stands in for the first perturbed replay. Perturbations given
          // by the caller are both replayed. One replay per episode (perturbedDifference splits the
          // history into the same episodes, and falls back to two replays were they ever to differ).
          const recorded = options.perturbations ? undefined : generation.episodeActions;
          stats.replays += (recorded ? 1 : 2) * generation.episodes;
          // The second replay also changes the variables the code read (its own settings, FRAUD_CHECK=on).
          const perturbations = options.perturbations ?? [DEFAULT_PERTURBATIONS[0], withReadEnvChanged(DEFAULT_PERTURBATIONS[1], envReads, compared)];
          // The code's own settings the second replay changed, beyond what the default perturbation does.
          const changedSettings = Object.keys(perturbations[1].env).filter((key) => !(key in DEFAULT_PERTURBATIONS[1].env));
          for (const key of changedSettings) stats.envRead.add(key);
          const difference = await perturbedDifference(target, generation.history, perturbations, recorded);
          if (!difference) continue;
          const history = prefixThrough(generation.history, difference.episode);
          // A generation made as one execution was never replayed while it was made: whether the code
          // replays it at all, unperturbed and in the run's own environment as a worker's next episodes
          // would, tells a failure to replay from one the perturbations caused. Twice, as code that
          // differs on every run (a module-level counter) can agree with the generation once.
          for (let attempt = 0; attempt < 2; attempt++) {
            const unperturbed = await replayHistory(history, target, { validated: true });
            if (unperturbed.status !== "ok") return selfReplayFailure(target, history, unperturbed, cwd);
          }
          const at = difference.first ?? difference.second;
          return {
            property: "perturbed-replay",
            // The settings as this run had them: what the same seed needs to find it again.
            ...(changedSettings.length ? { environment: settingsNow(changedSettings) } : {}),
            history,
            difference,
            message:
              (difference.field === "kind" || difference.field === "presence"
                ? // One run made something else altogether: say what each did.
                  `episode ${difference.episode}: the run that made the history ${didWhat(difference.first)}; a replay of it with the clock, randomness and environment changed ${didWhat(difference.second)} instead`
                : `episode ${difference.episode}: ${describeCall(at)}${at && at.id >= 0 ? ` #${at.id}` : ""} differs in ${difference.field} between two replays of the same history ` +
                  `(${valueOf(difference.first, difference.field)} vs ${valueOf(difference.second, difference.field)}) with the clock, randomness and environment changed`) +
              envChangeText(changedSettings, perturbations[1]) +
              (difference.location ? `; made at ${shownPath(difference.location.file, cwd)}:${difference.location.line}` : ""),
            hint: determinismHint(target.sdk),
          };
        }
        return undefined;
      }, options, (listener) => {
        coverage.onNewSite = listener;
      }),
    );

    const result: FuzzResult = {
      ok: run.failure === undefined,
      orchestrator: target.name,
      seed: run.seed,
      runs: run.explored,
      histories: stats.histories,
      replays: stats.replays,
      outcomes: stats.outcomes,
      // What the code read is a warning only when nothing failed: a failure says what the replay changed.
      warnings: stats.warnings({ failed: run.failure !== undefined }),
      values: described,
      durationMs: 0,
    };
    const statics = staticCallSites(target);
    result.coverage = summarizeCoverage(statics, coverage);
    if (!run.failure) {
      // A world cut short or failing at once checked nothing past that point: say so rather than pass.
      const notFinished = unfinished(stats, statics);
      if (notFinished) result.unfinished = notFinished;
      else {
        const inconclusive =
          earlyErrors(stats, target.name, statics) ??
          ownErrors(stats, target.name, statics) ??
          noCallReached(result.coverage, stats, target.name, statics) ??
          mostlyUnchecked(stats, statics);
        if (inconclusive) result.inconclusive = inconclusive;
      }
      result.ok = !result.unfinished && !result.inconclusive;
    }
    if (run.failure) {
      const { seed, counterexamplePath } = run;
      result.failure = await finishFailure({ ...run, failure: run.failure }, {
        outDir: options.outDir,
        format: options.format,
        cwd,
        orchestrator: target.name,
        // A self-replay failure shows on a plain replay of the file; a perturbed one needs the same fuzz run.
        command: (file) =>
          run.failure?.property === "self-replay"
            ? replayCommand(file, modulePath, target.name, cwd)
            : `checkDeterminism(${JSON.stringify(modulePath ?? target.name)}, { orchestrator: ${JSON.stringify(target.name)}, seed: ${seed}${counterexamplePath ? `, path: ${JSON.stringify(counterexamplePath)}` : ""} })`,
      });
    }
    result.durationMs = performance.now() - started;
    return result;
  }));
}

/** What an episode's run did at the point two runs part: "made activity "audit" #2", "completed the orchestration". */
function didWhat(call: DurableCall | undefined): string {
  if (!call) return "made no further call";
  if (call.kind === "completion") return `${call.status === "failed" ? "failed" : call.status === "continuedAsNew" ? "continued as new" : "completed"} the orchestration`;
  return `made ${describeCall(call)}${call.id >= 0 ? ` #${call.id}` : ""}`;
}

/** The values each process.env setting is compared with in the conditions around the durable calls. */
function comparedSettings(statics: StaticCallSites): Map<string, string[]> {
  const compared = new Map<string, string[]>();
  for (const site of statics.sites) {
    for (const setting of site.conditions.flatMap(envSettingsIn)) {
      if (setting.value === undefined) continue;
      const values = compared.get(setting.name) ?? [];
      if (!values.includes(setting.value)) compared.set(setting.name, [...values, setting.value]);
    }
  }
  return compared;
}

/** How `changed` set or removed the code's own settings `keys`: "" when none. */
function envChangeText(keys: readonly string[], changed: Perturbation): string {
  if (keys.length === 0) return "";
  const each = keys.map((key) => (changed.env[key] === undefined ? `${key} removed` : `${key}=${JSON.stringify(changed.env[key])}`));
  return ` (the code read process.env; the second replay had ${each.join(", ")})`;
}

/** The code rejected its own history; `replay` is a replay of it that names the first diverging call when it can. */
function selfReplayFailure(target: OrchestratorTarget, history: History, replay: ReplayResult, cwd: string, rejection?: string): FoundFailure {
  // A call behind isReplaying explains a history the code cannot replay better than the clock does.
  const guarded = staticCallSites(target).sites.find((site) => site.conditions.some((c) => /\bisReplaying\b/.test(c)));
  const found: FoundFailure = {
    property: "self-replay",
    history,
    replay,
    message: `the orchestrator cannot replay the history it produced: ${replay.divergence?.message ?? replay.error ?? rejection ?? replay.status}`,
    hint: guarded
      ? replayConditionalHint(guarded, guarded.conditions.find((c) => /\bisReplaying\b/.test(c))!, cwd)
      : determinismHint(target.sdk),
  };
  if (guarded) found.location = siteLocation(guarded);
  if (replay.divergence) found.divergence = replay.divergence;
  return found;
}
