import type { CoverageSummary, SiteCoverage } from "../coverage/summary.js";
import type { DurableCall, SourceLocation } from "../engines/engine.js";
import type { History, HistoryFormat, OrchestrationStatus } from "../history/model.js";
import type { Divergence, ReplayResult, ReplaySummary } from "../replay/result.js";

/** Which property a fuzzed world broke. */
export type FuzzProperty =
  /** The orchestrator could not replay the history it had just produced. */
  | "self-replay"
  /** Two replays of the same episode in perturbed environments produced different actions. */
  | "perturbed-replay"
  /** A history (or in-flight prefix) generated from the baseline diverged on the candidate. */
  | "drift";

/** Where two perturbed replays of one episode first differed. */
export interface PerturbedDifference {
  /** 0-based episode (invocation) whose actions differed. */
  episode: number;
  /** The first differing action in each environment (undefined when one run produced fewer). */
  first?: DurableCall;
  second?: DurableCall;
  /** What differed, e.g. `input` or `name`. */
  field: string;
  /** Where the code made the call, when it could be located. */
  location?: DurableCall["location"];
}

/** A failure, shrunk by fast-check to a minimal world, with everything needed to act on it. */
export interface FuzzFailure {
  property: FuzzProperty;
  /** The fast-check seed of the run; the same seed reproduces the same failure. */
  seed: number;
  /** fast-check's counterexample path (pass as `path` with the seed to jump straight to it). */
  counterexamplePath?: string;
  shrinks: number;
  /** The minimal history (the in-flight prefix that first diverged, for drift). */
  history: History;
  /** The file the minimal history was written to, when written. */
  historyFile?: string;
  historyFormat: HistoryFormat;
  /** The one command that reproduces the failure from the written file. */
  command?: string;
  /** Drift: the replay result on the candidate, with the exact divergence. */
  replay?: ReplayResult;
  divergence?: Divergence;
  /** Perturbed replay: what differed. */
  difference?: PerturbedDifference;
  /** The process.env settings the code read, as this run had them (the set ones): the same seed finds the failure with them. */
  environment?: Record<string, string>;
  /**
   * Where to look, when the check knows better than the differing call (a call behind isReplaying)
   * or no call was located (the candidate's orchestrator, for a call it no longer makes).
   */
  location?: SourceLocation;
  /** One line: what went wrong. */
  message: string;
  /** How to fix it. */
  hint: string;
  /** The fast-check draws of the minimal world, for the curious. */
  world: unknown[];
}

/**
 * The check ran but cannot vouch for the orchestrator: what it was asked to check was not
 * exercised. Never a pass (the CLI exits 1 unless --allow-inconclusive).
 */
export interface Inconclusive {
  /**
   * `unreached-change`: a call site the candidate changed (added or removed against the baseline)
   * was never reached by any run; `early-errors`: most generated instances failed in their first
   * episode, so little past the start was exercised; `own-errors`: most failed later, with an
   * error of the code's own rather than a task failure the world injected; `no-call-reached`: no
   * instance made any of the orchestrator's durable calls; `cut-short`: most hit the episode limit.
   */
  reason: "unreached-change" | "early-errors" | "own-errors" | "no-call-reached" | "cut-short";
  /** One line: what was not checked. */
  message: string;
  /** How to get it checked. */
  hint: string;
  /** Where: the unreached call site, or the orchestrator function. */
  location?: SourceLocation;
  /** unreached-change: every changed call site no run reached. */
  unreached?: SiteCoverage[];
}

/** No generated instance finished within the world's episode limit: the orchestrator may loop forever. */
export interface Unfinished {
  maxEpisodes: number;
  /** Histories cut short (all of them). */
  histories: number;
  message: string;
  hint: string;
  /** The orchestrator function, when found in its source. */
  location?: SourceLocation;
}

export interface FuzzResult {
  /** True only when the check passed: no failure, and neither inconclusive nor unfinished. */
  ok: boolean;
  orchestrator: string;
  seed: number;
  /** Fuzzed worlds explored, up to and including the first that failed (shrinking it runs more, counted in the failure's shrinks). */
  runs: number;
  /** Histories generated (every continue-as-new generation counts). */
  histories: number;
  /** Histories (and in-flight prefixes) replayed. */
  replays: number;
  /** How the generated histories ended (completed, failed, terminated, running = left in flight, ...). */
  outcomes: Partial<Record<OrchestrationStatus, number>>;
  /** Signs that the run tested little, e.g. every history failing at once for want of an input. */
  warnings: string[];
  /** Where the input and results came from besides the user's config: inferred types, history seeds. */
  values?: string[];
  failure?: FuzzFailure;
  /** Which durable call sites of the orchestrator the generated histories reached (the candidate's, for drift). */
  coverage?: CoverageSummary;
  inconclusive?: Inconclusive;
  unfinished?: Unfinished;
  durationMs: number;
}

export interface DriftResult extends FuzzResult {
  baseline: string;
  candidate: string;
  /** Which of the baseline's call sites the generated histories reached. */
  baselineCoverage?: CoverageSummary;
  /** Saved histories replayed against the candidate in the same run. */
  saved?: ReplaySummary;
}
