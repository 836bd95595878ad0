import { performance } from "node:perf_hooks";
import { CoverageRecorder } from "../coverage/recorder.js";
import { functionLocation, locateBySource, siteMaking, staticCallSites } from "../coverage/static-sites.js";
import { summarizeCoverage } from "../coverage/summary.js";
import { earlyErrors, mostlyUnchecked, noCallReached, ownErrors, unfinished, unreachedChange } from "../coverage/verdict.js";
import type { OrchestratorTarget } from "../engines/engine.js";
import { shownPath } from "../errors.js";
import { splitEpisodes, type History } from "../history/model.js";
import type { LoadedModule } from "../load/load-module.js";
import { replayHistories } from "../replay/replay-histories.js";
import { replayHistory } from "../replay/replay-history.js";
import type { Divergence, ReplayResult, ReplaySummary } from "../replay/result.js";
import type { FuzzRunOptions } from "../fuzz/check-determinism.js";
import { determinismHint, finishFailure, replayCommand, versioningHint, type FoundFailure } from "../fuzz/failure-report.js";
import { generateInstance, SelfReplayError } from "../fuzz/generate.js";
import type { DriftResult } from "../fuzz/result.js";
import { REPLAY_CLOCK, reseedSession, withEnvironmentLock, withSeededSession } from "../perturb/environment.js";
import { runFuzzProperty } from "../fuzz/run-property.js";
import { GenerationStats } from "../fuzz/stats.js";
import { withOrchestrator, type OrchestratorSource } from "../fuzz/target.js";
import { resolveFuzzValues } from "../fuzz/values.js";

export interface DriftOptions extends FuzzRunOptions {
  /** The code deployed today: a module path, `git:<ref>:<path>`, or a loaded target. */
  baseline: OrchestratorSource;
  /** The code about to be deployed. */
  candidate: OrchestratorSource;
  /**
   * The version the baseline stamps on the instances it starts (ExecutionStarted.version), so a
   * candidate that branches on ctx.version / compareVersionTo / context.df.version keeps them on the old path.
   */
  baselineVersion?: string;
  /** Saved histories (files, directories or globs, any supported format) also replayed against the candidate. */
  histories?: string | string[];
  /** Also compare inputs, timer fire times, extra calls and the final output (see ReplayOptions.strict). */
  strict?: boolean;
}


/** Every in-flight prefix of a history, cut at each episode boundary, shortest first (the last is the whole history). */
export function inFlightPrefixes(history: History): History[] {
  return splitEpisodes(history.events).map((episode) => ({ events: history.events.slice(0, episode.end) }));
}

function asModule(target: OrchestratorTarget, modulePath: string | undefined): string | LoadedModule {
  if (modulePath) return modulePath;
  return { path: target.modulePath ?? target.name, registrations: [], orchestrators: new Map([[target.name, target]]) };
}

/**
 * Anchors a divergence the replay's stacks did not locate (the candidate made no call there, or a
 * call only a parse finds): at the candidate's site of the call it made, found in its source by
 * name, else at the candidate's orchestrator, saying where the baseline makes the call it no longer does.
 */
function locateDivergence(found: FoundFailure, divergence: Divergence, baseline: OrchestratorTarget, candidate: OrchestratorTarget, cwd: string): void {
  if (divergence.produced?.location) return;
  const statics = staticCallSites(candidate);
  const made = locateBySource(statics, divergence.produced);
  if (made && divergence.produced) {
    divergence.produced.location = made;
    return;
  }
  found.location = functionLocation(statics);
  const before = siteMaking(staticCallSites(baseline), divergence.expected);
  if (before) found.message += `; the baseline makes it at ${shownPath(before.file, cwd)}:${before.line}`;
}

/** The random stream every replay of a drift check starts from. */
const REPLAY_SEED = 0x7e91a7;

/** A replay that did not pass, in one phrase: where it diverged, or why it could not run. */
function describeReplay(replay: ReplayResult): string {
  const d = replay.divergence;
  return d ? `episode ${d.episode}, history event #${d.eventIndex}: ${d.message}` : (replay.error ?? replay.status);
}

/** The baseline cannot replay a history it generated: its own determinism is the problem, not drift. */
function baselineSelfReplay(history: History, why: string, baseline: OrchestratorTarget, replay?: ReplayResult): FoundFailure {
  const found: FoundFailure = {
    property: "self-replay",
    history,
    message: `the baseline cannot replay the history it produced (${why}), so it is not deterministic: fix that first (dtcheck fuzz on the baseline finds and explains it)`,
    hint: determinismHint(baseline.sdk),
  };
  // At the baseline's call that replayed differently, when its source shows it.
  const divergence = replay?.divergence;
  if (divergence) {
    found.divergence = divergence;
    if (!divergence.produced?.location) {
      const statics = staticCallSites(baseline);
      found.location = locateBySource(statics, divergence.produced, divergence.expected) ?? functionLocation(statics);
    }
  }
  return found;
}

/**
 * Property 2, version drift: histories generated from the baseline in fuzzed worlds, including
 * every in-flight prefix cut at each episode boundary (an instance the old code started and the
 * new code must finish), must replay on the candidate. Histories carry the baseline's version, so
 * a version-gated candidate passes. Property 3: saved histories are replayed against the candidate
 * in the same run. A failure is shrunk to a minimal world and its history written with the command
 * that reproduces it.
 */
export async function checkDrift(options: DriftOptions): Promise<DriftResult> {
  const started = performance.now();
  const cwd = options.cwd ?? process.cwd();
  const pick = { orchestrator: options.orchestrator, cwd };
  // One check at a time: the perturbations patch process-wide globals.
  return withEnvironmentLock(() =>
    withOrchestrator(options.baseline, pick, (baseline) =>
      withOrchestrator(options.candidate, { ...pick, orchestrator: options.orchestrator ?? baseline.target.name }, async (candidate) => {
        // Worlds run on the baseline, so its types decide (the candidate's when its source is not at hand).
        const source = baseline.target.sourceFile ?? baseline.target.modulePath ? baseline.target : { ...baseline.target, modulePath: candidate.target.modulePath };
        const { config, described } = await resolveFuzzValues(source, options.fuzz ?? {}, { seedHistories: options.histories, ...options, cwd });
        const discoveredEvents = new Set<string>();
        const stats = new GenerationStats(config.maxEpisodes);
        // The baseline's sites are reached while generating, the candidate's while replaying on it.
        const baselineCoverage = new CoverageRecorder();
        const candidateCoverage = new CoverageRecorder();

        const run = await withSeededSession(() =>
          runFuzzProperty<FoundFailure>(async (choices) => {
            baselineCoverage.beginWorld();
            candidateCoverage.beginWorld();
            let generations;
            try {
              generations = (
                await generateInstance(baseline.target, choices, config, { version: options.baselineVersion, discoveredEvents, coverage: baselineCoverage })
              ).generations;
            } catch (error) {
              if (!(error instanceof SelfReplayError)) throw error;
              return baselineSelfReplay(error.history, error.message, baseline.target);
            }
            for (const generation of generations) {
              stats.add(generation);
              for (const prefix of inFlightPrefixes(generation.history)) {
                stats.replays++;
                // Each replay draws from the same random stream and reads the same clock, so code that
                // uses either replays alike on both versions and a failure is the code's, not the
                // stream's position. Both differ from the generation's (another day, another hour, a
                // clock that jumps between reads), as a replay after a deploy does: a baseline that reads
                // them then fails its own replay, and is reported as not deterministic.
                reseedSession(REPLAY_SEED, REPLAY_CLOCK);
                const replay = await replayHistory(prefix, candidate.target, { validated: true, strict: options.strict, coverage: candidateCoverage });
                if (replay.status === "ok") continue;
                // The baseline made the history as one execution, without replaying it: whether it
                // replays it itself tells drift from a baseline that is not deterministic.
                reseedSession(REPLAY_SEED, REPLAY_CLOCK);
                const own = await replayHistory(prefix, baseline.target, { validated: true });
                if (own.status !== "ok") return baselineSelfReplay(prefix, describeReplay(own), baseline.target, own);
                const found: FoundFailure = {
                  property: "drift",
                  history: prefix,
                  replay,
                  message: replay.divergence
                    ? `an instance started by the baseline diverges on the candidate: ${describeReplay(replay)}`
                    : `an instance started by the baseline cannot be replayed on the candidate: ${describeReplay(replay)}`,
                  hint: versioningHint(candidate.target.sdk),
                };
                if (replay.divergence) {
                  found.divergence = replay.divergence;
                  locateDivergence(found, replay.divergence, baseline.target, candidate.target, cwd);
                }
                return found;
              }
            }
            return undefined;
          }, options, (listener) => {
            // A new site of either version makes the world worth keeping.
            baselineCoverage.onNewSite = listener;
            candidateCoverage.onNewSite = listener;
          }),
        );

        const result: DriftResult = {
          ok: run.failure === undefined,
          orchestrator: baseline.target.name,
          baseline: baseline.label,
          candidate: candidate.label,
          seed: run.seed,
          runs: run.explored,
          histories: stats.histories,
          replays: stats.replays,
          outcomes: stats.outcomes,
          warnings: stats.warnings(),
          values: described,
          durationMs: 0,
        };
        // Saved histories replay on the candidate before the verdict: the call sites they reach count
        // as reached (a real in-flight instance exercising a changed call tests it as well as a world).
        let saved: ReplaySummary | undefined;
        if (options.histories !== undefined) {
          saved = await replayHistories(options.histories, {
            module: asModule(candidate.target, candidate.modulePath),
            cwd,
            strict: options.strict,
            coverage: candidateCoverage,
          });
          result.saved = saved;
          result.replays += saved.results.length;
        }
        const baselineSites = staticCallSites(baseline.target);
        result.baselineCoverage = summarizeCoverage(baselineSites, baselineCoverage);
        result.coverage = summarizeCoverage(staticCallSites(candidate.target), candidateCoverage);
        if (!run.failure) {
          // Nothing diverged; that means something only if the worlds finished, ran past their start and reached what changed.
          const notFinished = unfinished(stats, baselineSites);
          if (notFinished) result.unfinished = notFinished;
          else {
            const inconclusive =
              earlyErrors(stats, baseline.target.name, baselineSites) ??
              ownErrors(stats, baseline.target.name, baselineSites) ??
              noCallReached(result.baselineCoverage, stats, baseline.target.name, baselineSites) ??
              mostlyUnchecked(stats, baselineSites) ??
              unreachedChange(result.baselineCoverage, result.coverage, baseline.target.name, cwd);
            if (inconclusive) result.inconclusive = inconclusive;
          }
          result.ok = !result.unfinished && !result.inconclusive;
        }
        if (run.failure) {
          // Drift reproduces by replaying the file on the candidate; a baseline self-replay failure, on the baseline.
          const module = run.failure.property === "drift" ? candidate.modulePath ?? candidate.label : baseline.modulePath ?? baseline.label;
          result.failure = await finishFailure({ ...run, failure: run.failure }, {
            outDir: options.outDir,
            format: options.format,
            cwd,
            orchestrator: baseline.target.name,
            command: (file) => replayCommand(file, module, baseline.target.name, cwd),
          });
          result.ok = false;
        }
        if (saved && saved.ok !== saved.results.length) result.ok = false;
        result.durationMs = performance.now() - started;
        return result;
      }),
    ),
  );
}
