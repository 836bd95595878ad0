// The replay entry point (`@dtcheck/replay-tester/replay`): replaying recorded histories and
// rendering the results, without the fuzzing and drift machinery the package root also loads.
export { replayHistory, type ReplayOptions } from "./replay-history.js";
export { replayHistories, shardInputs, type ReplayHistoriesOptions } from "./replay-histories.js";
export { collectHistoryFiles, collectHistoryInputs, type CollectedInputs } from "./collect-files.js";
export type { ReplayResult, ReplaySummary, ReplayStatus, Divergence, DivergenceReason } from "./result.js";
export { renderResult, renderSummary, type RenderOptions } from "../report/render.js";
