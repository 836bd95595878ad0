import { performance } from "node:perf_hooks";
import { readHistoryFile } from "../history/index.js";
import { maxHistoryBytes } from "../files/read-regular-file.js";
import { executionStarted, type History } from "../history/model.js";
import { isInputError } from "../errors.js";
import { loadModule, pickOrchestrator, type LoadedModule } from "../load/load-module.js";
import { fileShardKey, selectShard, type Shard } from "../shard/shard.js";
import { collectHistoryInputs, type CollectedInputs } from "./collect-files.js";
import { replayHistory, type ReplayOptions } from "./replay-history.js";
import type { ReplayResult, ReplaySummary } from "./result.js";

export interface ReplayHistoriesOptions extends ReplayOptions {
  /** The module that registers the orchestrators (or an already loaded one, e.g. from an orchestrator map). */
  module: string | LoadedModule;
  /** Replay every history against this orchestrator instead of the one its ExecutionStarted names. */
  orchestrator?: string;
  /** Stop at the first history that does not replay ok (default: run all and summarise). */
  failFast?: boolean;
  /** Base directory for relative paths and globs. */
  cwd?: string;
  /** Only the histories of this shard (by path relative to cwd), for runs split between CI jobs. */
  shard?: Shard;
  /** Called before each history is replayed (its file may already have been read ahead), e.g. to time it. */
  onStart?: (file: string) => void;
  /** Called after each history, e.g. to print progress. */
  onResult?: (result: ReplayResult) => void;
}

/** The files (and unlistable directories, which are results too) of one shard. */
export function shardInputs(collected: CollectedInputs, shard: Shard | undefined, cwd = process.cwd()): CollectedInputs {
  if (!shard) return collected;
  return {
    files: selectShard(collected.files, (file) => fileShardKey(file, cwd), shard),
    unreadable: selectShard(collected.unreadable, (entry) => fileShardKey(entry.path, cwd), shard),
  };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Histories read while earlier ones replay: enough to hide the file system's latency, few enough to stay small in memory. */
const READ_AHEAD = 8;

type ReadOutcome = { history: History } | { error: unknown };

/** Replays every history found under the given files, directories and globs, and summarises. */
export async function replayHistories(inputs: string | readonly string[], options: ReplayHistoriesOptions): Promise<ReplaySummary> {
  const started = performance.now();
  // A bad DTCHECK_MAX_HISTORY_MB is one input error up front, not one per file.
  const maxBytes = maxHistoryBytes();
  const { files, unreadable } = shardInputs(await collectHistoryInputs(typeof inputs === "string" ? [inputs] : inputs, options.cwd), options.shard, options.cwd);
  // A directory that could not be listed is reported like an unreadable file; the rest still replays.
  const results: ReplayResult[] = unreadable.map((u) => ({ status: "failed", file: u.path, events: 0, episodes: 0, error: u.message, durationMs: 0 }));
  let stoppedEarly = false;
  let module: LoadedModule | undefined;
  let moduleError: string | undefined;
  try {
    module = typeof options.module === "string" ? await loadModule(options.module) : options.module;
  } catch (error) {
    if (!isInputError(error)) throw error;
    moduleError = message(error);
  }

  const total = unreadable.length + files.length;
  const queue = options.failFast && unreadable.length ? [] : files;
  // Reading ahead keeps the file system busy while a history replays (one read at a time left a
  // contained thread idle a third of the time); the window bounds what is held in memory.
  const reads: (Promise<ReadOutcome> | undefined)[] = [];
  const startRead = (index: number) => {
    if (index < queue.length) reads[index] = readHistoryFile(queue[index]!, { maxBytes }).then((history) => ({ history }), (error: unknown) => ({ error }));
  };
  for (let index = 0; index < READ_AHEAD; index++) startRead(index);
  for (const [index, file] of queue.entries()) {
    options.onStart?.(file);
    const t0 = performance.now();
    let result: ReplayResult;
    let history: History | undefined;
    const read = await reads[index]!;
    reads[index] = undefined;
    startRead(index + READ_AHEAD);
    if ("history" in read) history = read.history;
    else {
      if (!isInputError(read.error)) throw read.error;
      result = { status: "failed", file, events: 0, episodes: 0, error: message(read.error), durationMs: performance.now() - t0 };
    }
    if (history) {
      if (!module) {
        result = { status: "load-error", file, events: history.events.length, episodes: 0, error: moduleError, durationMs: 0 };
      } else {
        try {
          const name = options.orchestrator ?? executionStarted(history)?.name;
          const target = pickOrchestrator(module, name, file);
          result = await replayHistory(history, target, { strict: options.strict, validated: true, coverage: options.coverage });
          result.file = file;
        } catch (error) {
          if (!isInputError(error)) throw error;
          result = { status: "load-error", file, events: history.events.length, episodes: 0, error: message(error), durationMs: performance.now() - t0 };
        }
      }
    }
    results.push(result!);
    options.onResult?.(result!);
    if (options.failFast && result!.status !== "ok") {
      stoppedEarly = results.length < total;
      break;
    }
  }
  if (options.failFast && unreadable.length) stoppedEarly = files.length > 0;
  return summarizeReplays(results, stoppedEarly, performance.now() - started);
}

/** Counts results by status (also for batches replayed in parts, e.g. by the contained runner). */
export function summarizeReplays(results: ReplayResult[], stoppedEarly: boolean, durationMs: number): ReplaySummary {
  const count = (status: ReplayResult["status"]) => results.filter((r) => r.status === status).length;
  return {
    results,
    ok: count("ok"),
    diverged: count("diverged"),
    failed: count("failed"),
    loadErrors: count("load-error"),
    stoppedEarly,
    durationMs,
  };
}
