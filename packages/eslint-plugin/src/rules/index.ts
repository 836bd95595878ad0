/**
 * Every rule of the plugin, by name. Adding a rule = one import and one entry here; the configs in
 * src/index.ts are built from each rule's `meta.docs.recommended`.
 */
import type { TSESLint } from "@typescript-eslint/utils";
import type { DtcheckDocs } from "../util/create-rule.js";
import { generatorShape } from "./generator-shape.js";
import { namedRegistration } from "./named-registration.js";
import { noAwait } from "./no-await.js";
import { noDynamicCode } from "./no-dynamic-code.js";
import { noEnvironment } from "./no-environment.js";
import { noEternalLoop } from "./no-eternal-loop.js";
import { noIo } from "./no-io.js";
import { noModuleState } from "./no-module-state.js";
import { noPromiseCombinators } from "./no-promise-combinators.js";
import { noRandom } from "./no-random.js";
import { noReplayConditionalCalls } from "./no-replay-conditional-calls.js";
import { noTimers } from "./no-timers.js";
import { noUnstableIteration } from "./no-unstable-iteration.js";
import { noWallClock } from "./no-wall-clock.js";
import { replaySafeLogging } from "./replay-safe-logging.js";
import { yieldDurableTasks } from "./yield-durable-tasks.js";

/** A rule as the plugin stores it (any options, any message ids). */
export type DtcheckRule = TSESLint.RuleModule<string, readonly unknown[], DtcheckDocs>;

export const rules: Record<string, DtcheckRule> = {
  "no-wall-clock": noWallClock,
  "no-random": noRandom,
  "no-io": noIo,
  "no-timers": noTimers,
  "no-environment": noEnvironment,
  "no-unstable-iteration": noUnstableIteration,
  "no-module-state": noModuleState,
  "no-dynamic-code": noDynamicCode,
  "generator-shape": generatorShape,
  "no-await": noAwait,
  "no-promise-combinators": noPromiseCombinators,
  "yield-durable-tasks": yieldDurableTasks,
  "replay-safe-logging": replaySafeLogging,
  "no-replay-conditional-calls": noReplayConditionalCalls,
  "no-eternal-loop": noEternalLoop,
  "named-registration": namedRegistration,
};
