export const packageName = "@dtcheck/replay-tester";
export * from "./history/model.js";
export { InputError, isInputError, firstErrorLine } from "./errors.js";
export * from "./history/index.js";
export type {
  Engine,
  SdkKind,
  CallKind,
  DurableCall,
  SourceLocation,
  EpisodeRun,
  EpisodeInput,
  OrchestratorTarget,
  CallSiteSink,
} from "./engines/engine.js";
export { engineFor } from "./engines/index.js";
export { describeCall } from "./engines/calls.js";
export { loadModule, pickOrchestrator, loadOrchestratorMap, type LoadedModule } from "./load/load-module.js";
export { importUserModule } from "./load/import-module.js";
export type { Registration } from "./load/registrations.js";
export { replayHistory, type ReplayOptions } from "./replay/replay-history.js";
export { replayHistories, replayEntries, shardEntries, shardInputs, type ReplayHistoriesOptions } from "./replay/replay-histories.js";
export { collectHistoryFiles, collectHistoryInputs, streamHistoryInputs, type CollectedEntry, type CollectedInputs, type UnreadableDirectory } from "./replay/collect-files.js";
export { checkHistoryTarget, writeHistoryFile, writeFileAtomically, type HistoryWriteOptions } from "./files/safe-write.js";
export { shellQuote, shellCommand } from "./report/shell-quote.js";
export { readRegularFile, readRegularFileSync, maxHistoryBytes, formatBytes, DEFAULT_MAX_HISTORY_BYTES, MAX_HISTORY_ENV, type ReadRegularFileOptions } from "./files/read-regular-file.js";
export type { ReplayResult, ReplaySummary, ReplayStatus, Divergence, DivergenceReason } from "./replay/result.js";
export { renderResult, renderSummary, type RenderOptions } from "./report/render.js";
export { codeFrame } from "./report/code-frame.js";
export { simulate, type SimulateOptions, type Simulation } from "./simulate/simulate.js";
export type { World, WorldStep, WorldEvent, SimulationState } from "./simulate/world.js";
export { recordHistory, type RecordOptions } from "./record/record.js";
export type { RecordStubs, Stub } from "./record/stubs.js";
export { checkDeterminism, prefixThrough, type DeterminismOptions, type FuzzRunOptions } from "./fuzz/check-determinism.js";
export { checkDrift, inFlightPrefixes, type DriftOptions } from "./drift/check-drift.js";
export type { FuzzResult, DriftResult, FuzzFailure, FuzzProperty, PerturbedDifference, Inconclusive, Unfinished } from "./fuzz/result.js";
export { staticCallSites, envSettingsIn, readsClockOrRandomness, DURABLE_METHODS, type CallSite, type EnvSetting, type StaticCallSites } from "./coverage/static-sites.js";
export { CoverageRecorder, type ReachedSite } from "./coverage/recorder.js";
export { summarizeCoverage, coverageLine, changedSites, describeSite, type CoverageSummary, type SiteCoverage } from "./coverage/summary.js";
export { readFuzzConfig, applyInputOverrides, type InputOverrides, isArbitrary, FUZZ_SETTINGS, type FuzzConfig } from "./fuzz/config.js";
export { generateInstance, SelfReplayError, type GenerateOptions, type GeneratedInstance } from "./fuzz/generate.js";
export { FuzzWorld } from "./fuzz/world.js";
export { choicesFrom, type Choices } from "./fuzz/choices.js";
export { renderFuzzResult } from "./fuzz/render.js";
export type { OrchestratorSource } from "./fuzz/target.js";
export { withPerturbation, withSeededSession, reseedSession, withEnvironmentLock, DEFAULT_PERTURBATIONS, type Perturbation } from "./perturb/environment.js";
export { perturbedDifference, episodeInvocations } from "./perturb/perturbed-replay.js";
export { parseGitSpec, type GitSpec } from "./git/git-spec.js";
export { shardOf, selectShard, fileShardKey, type Shard } from "./shard/shard.js";
export { withGitCheckout } from "./git/worktree.js";
export { fuzzModule, driftModules, type ModuleFuzzOptions, type ModuleDriftOptions, type ModuleDriftResult } from "./check/module-checks.js";
export { inferValues, describeInferred, type InferredValues, type InferredValue, type OrchestratorRef } from "./inputs/infer.js";
export { seedsFromHistories, addHistorySeeds, type HistorySeeds } from "./inputs/seeds.js";
export { resolveFuzzValues, type ValueSourceOptions, type ResolvedValues } from "./fuzz/values.js";
// The containment entry point's exports, listed once there.
export * from "./contain/index.js";
export * from "./sources/index.js";
