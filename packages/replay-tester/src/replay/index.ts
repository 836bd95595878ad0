// The replay entry point (`@dtcheck/replay-tester/replay`): replaying recorded histories and
// rendering the results, without the fuzzing and drift machinery the package root also loads.
export { replayHistory, type ReplayOptions } from "./replay-history.js";
export { replayHistories, replayEntries, shardEntries, shardInputs, type ReplayHistoriesOptions } from "./replay-histories.js";
export { collectHistoryFiles, collectHistoryInputs, streamHistoryInputs, type CollectedEntry, type CollectedInputs, type UnreadableDirectory } from "./collect-files.js";
export type { ReplayResult, ReplaySummary, ReplayStatus, Divergence, DivergenceReason } from "./result.js";
export { renderResult, renderSummary, type RenderOptions } from "../report/render.js";
