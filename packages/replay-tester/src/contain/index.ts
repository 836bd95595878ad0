// The containment entry point (`@dtcheck/replay-tester/contain`): running replay, fuzz, drift and
// record in a watched worker thread, for callers that want no more of the package than that.
export {
  runContainedFuzz,
  runContainedDrift,
  runContainedRecord,
  runContainedConfig,
  type ContainOptions,
  type ContainedFuzz,
  type ContainedDrift,
  type StoppedUnit,
} from "./run-contained.js";
export { DEFAULT_LIMITS, type ContainmentLimits } from "./limits.js";
export { runContainedReplay, runContainedReplayParallel, runContainedReplayStream, threadCount, THREAD_WINDOW, ORDER_WINDOW, type ParallelReplayOptions, type ReplayCounts } from "./parallel.js";
export type { ContainedTask, ReplayTask, FuzzTask, DriftTask, RecordTask, ConfigTask, ConfigValues, FuzzSource } from "./protocol.js";
