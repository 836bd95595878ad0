export const packageName = "@dtcheck/replay-tester";
export * from "./history/model.js";
export { InputError, isInputError } from "./errors.js";
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
} from "./engines/engine.js";
export { engineFor } from "./engines/index.js";
export { describeCall } from "./engines/calls.js";
export { loadModule, pickOrchestrator, loadOrchestratorMap, type LoadedModule } from "./load/load-module.js";
export type { Registration } from "./load/registrations.js";
export { replayHistory, type ReplayOptions } from "./replay/replay-history.js";
export { replayHistories, type ReplayHistoriesOptions } from "./replay/replay-histories.js";
export { collectHistoryFiles } from "./replay/collect-files.js";
export type { ReplayResult, ReplaySummary, ReplayStatus, Divergence, DivergenceReason } from "./replay/result.js";
export { renderResult, renderSummary, type RenderOptions } from "./report/render.js";
export { codeFrame } from "./report/code-frame.js";
export { simulate, type SimulateOptions, type Simulation } from "./simulate/simulate.js";
export type { World, WorldStep, WorldEvent, SimulationState } from "./simulate/world.js";
export { recordHistory, type RecordOptions } from "./record/record.js";
export type { RecordStubs, Stub } from "./record/stubs.js";
