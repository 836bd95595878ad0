/** History sources: fetch histories from a live backend with the runtimes' own clients, and write them. */
export { RUNTIME_STATUSES, parseRuntimeStatus, historyStatus, type RuntimeStatus, type InstanceSelection, type ListedInstance, type PulledHistory, type PullResult } from "./pulled.js";
export { pullFromTaskHub, parseHost, type TaskHubSourceOptions } from "./task-hub.js";
export { pullFromFunctionsApp, parseFunctionsUrl, type FunctionsSourceOptions } from "./functions-http.js";
export { createRedactor, REDACTED_PREFIX, type Redactor } from "./redact.js";
export { writePulledHistories, PulledHistoryWriter, instanceFileName, type WritePulledOptions, type WritePulledResult, type WrittenHistory } from "./write-pulled.js";
