import { checkDeterminism, type DeterminismOptions } from "../fuzz/check-determinism.js";
import { checkDrift, type DriftOptions } from "../drift/check-drift.js";
import { renderFuzzResult } from "../fuzz/render.js";
import type { OrchestratorSource } from "../fuzz/target.js";

/** The options of toReplayWithoutDrift: everything checkDrift takes except the candidate (the received value) and baseline. */
export type DriftMatcherOptions = Omit<DriftOptions, "baseline" | "candidate">;

interface MatcherResult {
  pass: boolean;
  message: () => string;
}

/**
 * `await expect(source).toBeDeterministic(options)`: checkDeterminism passes. The failure message
 * is the rendered result (minimal history, seed, reproduce command and fix).
 */
export async function toBeDeterministic(received: OrchestratorSource, options: DeterminismOptions = {}): Promise<MatcherResult> {
  const result = await checkDeterminism(received, { outDir: false, ...options });
  return {
    pass: result.ok,
    message: () => (result.ok ? `expected ${result.orchestrator} not to be deterministic, but ${result.runs} fuzzed worlds found nothing` : renderFuzzResult(result)),
  };
}

/**
 * `await expect(candidate).toReplayWithoutDrift(baseline, options)`: histories generated from the
 * baseline (and every in-flight prefix, and any saved histories) replay on the candidate.
 */
export async function toReplayWithoutDrift(
  received: OrchestratorSource,
  baseline: OrchestratorSource,
  options: DriftMatcherOptions = {},
): Promise<MatcherResult> {
  const result = await checkDrift({ outDir: false, ...options, baseline, candidate: received });
  return {
    pass: result.ok,
    message: () => (result.ok ? `expected drift from ${result.baseline} to ${result.candidate}, but every history replayed` : renderFuzzResult(result)),
  };
}
