/**
 * `import "@dtcheck/replay-tester/vitest"` in a test (or a setupFiles entry) adds the
 * toBeDeterministic and toReplayWithoutDrift matchers to vitest's expect.
 */
import { expect } from "vitest";
import type { DeterminismOptions } from "../fuzz/check-determinism.js";
import type { OrchestratorSource } from "../fuzz/target.js";
import { toBeDeterministic, toReplayWithoutDrift, type DriftMatcherOptions } from "./matchers.js";

expect.extend({ toBeDeterministic, toReplayWithoutDrift });

export { toBeDeterministic, toReplayWithoutDrift, type DriftMatcherOptions };

interface DtcheckMatchers<R = unknown> {
  /** The orchestrator replays identically in fuzzed worlds and perturbed environments (checkDeterminism). */
  toBeDeterministic(options?: DeterminismOptions): Promise<R>;
  /** Histories generated from `baseline`, and their in-flight prefixes, replay on this candidate (checkDrift). */
  toReplayWithoutDrift(baseline: OrchestratorSource, options?: DriftMatcherOptions): Promise<R>;
}

declare module "vitest" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-explicit-any -- vitest's own declaration is Matchers<T = any>; merging must repeat it
  interface Matchers<T = any> extends DtcheckMatchers<T> {}
}
