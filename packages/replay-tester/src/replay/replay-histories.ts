import { performance } from "node:perf_hooks";
import { readHistoryFile } from "../history/index.js";
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

/** shardInputs over a stream: the same partition, entry by entry. */
export async function* shardEntries(entries: AsyncIterable<CollectedEntry>, shard: Shard | undefined, cwd = process.cwd()): AsyncGenerator<CollectedEntry> {
  for await (const entry of entries) {
    if (!shard || shard.count === 1 || shardOf(fileShardKey("file" in entry ? entry.file : entry.unreadable.path, cwd), shard.count) === shard.index) yield entry;
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Histories read while earlier ones replay: enough to hide the file system's latency, few enough to stay small in memory. */
export const READ_AHEAD = 8;

type ReadOutcome = { history: History } | { error: unknown };

/** The result for a directory that could not be listed: reported like an unreadable file. */
export function unreadableResult(entry: Extract<CollectedEntry, { unreadable: unknown }>): ReplayResult {
  return { status: "failed", file: entry.unreadable.path, events: 0, episodes: 0, error: entry.unreadable.message, durationMs: 0 };
}

/**
 * Replays a stream of collected entries in order, handing each result to `onResult` as it comes:
 * nothing is kept per history, so a million histories cost what a few do. At most READ_AHEAD
 * entries are taken from the stream ahead of the history replaying. Returns whether failFast
 * stopped before the stream ended.
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
  // Reading ahead keeps the file system busy while a history replays (one read at a time left a
  // contained thread idle a third of the time); the window bounds what is held in memory. Entries
  // are taken without waiting for them while the window holds any: a stream fed by message (a
  // contained thread's) may send the next ones only once the results of these are in.
  const window: { entry: CollectedEntry; read?: Promise<ReadOutcome> }[] = [];
  let ended = false;
  let taking: Promise<void> | undefined;
  let sourceError: { error: unknown } | undefined;
  const topUp = (): void => {
    if (ended || taking || sourceError || window.length >= READ_AHEAD) return;
    taking = Promise.resolve(source.next()).then(
      (next) => {
        taking = undefined;
        if (next.done) ended = true;
        else {
          const entry = next.value;
          window.push({ entry, read: "file" in entry ? readHistoryFile(entry.file, { maxBytes }).then((history) => ({ history }), (error: unknown) => ({ error })) : undefined });
        }
        topUp();
      },
      (error: unknown) => {
        taking = undefined;
        sourceError = { error };
      },
    );
  };
  const nextInWindow = async (): Promise<(typeof window)[number] | undefined> => {
    topUp();
    while (!window.length && taking) {
      await taking;
      topUp();
    }
    if (sourceError) throw sourceError.error;
    return window.shift();
  };
  try {
    for (let item = await nextInWindow(); item; item = await nextInWindow()) {
      const { entry, read } = item;
      const result = "file" in entry ? await replayOne(entry.file, read!, module, moduleError, options) : unreadableResult(entry);
      onResult(result);
      if (options.failFast && result.status !== "ok") {
        // Whether anything was left: what the window holds, else the stream's next entry.
        while (!window.length && taking) await taking;
        if (!window.length && !ended && !sourceError) ended = (await source.next()).done === true;
        return { stoppedEarly: window.length > 0 || !ended };
      }
    }
    return { stoppedEarly: false };
  } finally {
    // Stopped early: the stream's own clean-up (a directory handle) runs now.
    if (!ended) await source.return?.();
  }
}

async function replayOne(file: string, read: Promise<ReadOutcome>, module: LoadedModule | undefined, moduleError: string | undefined, options: Omit<ReplayHistoriesOptions, "onResult" | "shard">): Promise<ReplayResult> {
  options.onStart?.(file);
  const t0 = performance.now();
  const outcome = await read;
  if (!("history" in outcome)) {
    if (!isInputError(outcome.error)) throw outcome.error;
    return { status: "failed", file, events: 0, episodes: 0, error: message(outcome.error), durationMs: performance.now() - t0 };
  }
  const history = outcome.history;
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
