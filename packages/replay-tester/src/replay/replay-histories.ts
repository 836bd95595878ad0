import { performance } from "node:perf_hooks";
import { readHistoryFileSync } from "../history/index.js";
import { maxHistoryBytes } from "../files/read-regular-file.js";
import { executionStarted, type History } from "../history/model.js";
import { isInputError } from "../errors.js";
import { loadModule, pickOrchestrator, type LoadedModule } from "../load/load-module.js";
import { fileShardKey, selectShard, shardOf, type Shard } from "../shard/shard.js";
import { streamHistoryInputs, type CollectedEntry, type CollectedInputs } from "./collect-files.js";
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
  /** Called before each history is read and replayed, e.g. to time it. */
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

/** shardInputs over a stream: the same partition, entry by entry. */
export async function* shardEntries(entries: AsyncIterable<CollectedEntry>, shard: Shard | undefined, cwd = process.cwd()): AsyncGenerator<CollectedEntry> {
  for await (const entry of entries) {
    if (!shard || shard.count === 1 || shardOf(fileShardKey("file" in entry ? entry.file : entry.unreadable.path, cwd), shard.count) === shard.index) yield entry;
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The result for a directory that could not be listed: reported like an unreadable file. */
export function unreadableResult(entry: Extract<CollectedEntry, { unreadable: unknown }>): ReplayResult {
  return { status: "failed", file: entry.unreadable.path, events: 0, episodes: 0, error: entry.unreadable.message, durationMs: 0 };
}

/**
 * Replays a stream of collected entries in order, handing each result to `onResult` as it comes:
 * nothing is kept per history, so a million histories cost what a few do. One entry is taken from
 * the stream at a time, and its file read when its turn comes (synchronously: see
 * readHistoryBytesSync). Returns whether failFast stopped before the stream ended.
 */
export async function replayEntries(
  entries: AsyncIterable<CollectedEntry> | Iterable<CollectedEntry>,
  options: Omit<ReplayHistoriesOptions, "onResult" | "shard">,
  onResult: (result: ReplayResult) => void,
): Promise<{ stoppedEarly: boolean }> {
  // A bad DTCHECK_MAX_HISTORY_MB is one input error up front, not one per file.
  const maxBytes = maxHistoryBytes();
  let module: LoadedModule | undefined;
  let moduleError: string | undefined;
  try {
    module = typeof options.module === "string" ? await loadModule(options.module) : options.module;
  } catch (error) {
    if (!isInputError(error)) throw error;
    moduleError = message(error);
  }
  const source = (Symbol.asyncIterator in entries ? entries[Symbol.asyncIterator]() : entries[Symbol.iterator]()) as AsyncIterator<CollectedEntry> | Iterator<CollectedEntry>;
  let ended = false;
  try {
    for (let next = await source.next(); !next.done; next = await source.next()) {
      const entry = next.value;
      const result = "file" in entry ? await replayOne(entry.file, maxBytes, module, moduleError, options) : unreadableResult(entry);
      onResult(result);
      if (options.failFast && result.status !== "ok") {
        ended = (await source.next()).done === true;
        return { stoppedEarly: !ended };
      }
    }
    ended = true;
    return { stoppedEarly: false };
  } finally {
    // Stopped early: the stream's own clean-up (a directory handle) runs now.
    if (!ended) await source.return?.();
  }
}

async function replayOne(file: string, maxBytes: number, module: LoadedModule | undefined, moduleError: string | undefined, options: Omit<ReplayHistoriesOptions, "onResult" | "shard">): Promise<ReplayResult> {
  options.onStart?.(file);
  const t0 = performance.now();
  let history: History;
  try {
    history = readHistoryFileSync(file, { maxBytes });
  } catch (error) {
    if (!isInputError(error)) throw error;
    // The result names the file already: its error says only what is wrong with it.
    return { status: "failed", file, events: 0, episodes: 0, error: error.file === file ? error.reason : message(error), durationMs: performance.now() - t0 };
  }
  if (!module) return { status: "load-error", file, events: history.events.length, episodes: 0, error: moduleError, durationMs: 0 };
  try {
    const name = options.orchestrator ?? executionStarted(history)?.name;
    const target = pickOrchestrator(module, name, file);
    const result = await replayHistory(history, target, { strict: options.strict, validated: true, coverage: options.coverage });
    result.file = file;
    return result;
  } catch (error) {
    if (!isInputError(error)) throw error;
    return { status: "load-error", file, events: history.events.length, episodes: 0, error: message(error), durationMs: performance.now() - t0 };
  }
}

/** Replays every history found under the given files, directories and globs, and summarises. */
export async function replayHistories(inputs: string | readonly string[], options: ReplayHistoriesOptions): Promise<ReplaySummary> {
  const started = performance.now();
  // A bad DTCHECK_MAX_HISTORY_MB is one input error before the inputs are listed.
  maxHistoryBytes();
  const entries = shardEntries(streamHistoryInputs(typeof inputs === "string" ? [inputs] : inputs, options.cwd), options.shard, options.cwd);
  const results: ReplayResult[] = [];
  const { stoppedEarly } = await replayEntries(entries, options, (result) => {
    results.push(result);
    options.onResult?.(result);
  });
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
