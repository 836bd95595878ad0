/**
 * A directory replay in contained threads, streamed: the collected entries are taken from their
 * stream a bounded window at a time and handed to whichever thread has room, each thread replays
 * what it is sent (watchdog, limits and restart-after-a-hang included, see run-contained.ts), and
 * the results are put back in the order of the entries, so a report is the same whatever the
 * number of threads, and memory stays flat however many histories there are.
 *
 * A general pool (tinypool, piscina) queues small tasks to long-lived threads; here a thread must
 * be thrown away when user code hangs in it, and loading the user's module is the dominant
 * start-up cost, so each thread loads it once and is fed entries by message for its whole life.
 */
import { performance } from "node:perf_hooks";
import type { CollectedEntry } from "../replay/collect-files.js";
import { summarizeReplays } from "../replay/replay-histories.js";
import type { ReplayResult, ReplaySummary } from "../replay/result.js";
import type { ReplayTask, ToWorkerMessage } from "./protocol.js";
import { heapBudget } from "./heap-budget.js";
import { attempt, failure, limitsOf, loadStop, shownModule, type ContainOptions } from "./run-contained.js";

/**
 * The number of threads for `units` histories: as many as asked for, never more than there are
 * histories. One by default: each thread loads the module and its SDK afresh (0.6-0.8 s of CPU
 * here), and on this project's 2-core machine two threads were not measured faster for 4,000
 * small histories (bench/workers.bench.mjs), so more threads are the user's call.
 */
export function threadCount(requested: number | undefined, units: number): number {
  return Math.max(1, Math.min(requested ?? 1, units));
}

export interface ParallelReplayOptions extends ContainOptions<ReplayResult> {
  /** Threads to use (default 1); always 1 with failFast, which stops at the first failure in entry order. */
  workers?: number;
}

/** What a streamed replay counts; the results themselves went to `onResult`, in entry order. */
export type ReplayCounts = Omit<ReplaySummary, "results"> & { total: number };

/** Entries one thread holds unanswered at most (sent and waiting, or replaying): a few batches. */
export const THREAD_WINDOW = 64;
/** How far (in entries) results may run ahead of the oldest unanswered one: bounds the results held to restore the order. */
export const ORDER_WINDOW = 4 * THREAD_WINDOW;

interface Item {
  seq: number;
  entry: CollectedEntry;
}

const entryFile = (entry: CollectedEntry) => ("file" in entry ? entry.file : entry.unreadable.path);

/**
 * Replays the entries of `entries` in contained threads; each result goes to `options.onResult` in
 * entry order as soon as every earlier one is in, and nothing is kept per history. A history that
 * hangs or crashes its thread is a failed result, and a new thread takes the rest of that one's.
 */
export async function runContainedReplayStream(task: Omit<ReplayTask, "files" | "unreadable">, entries: AsyncIterable<CollectedEntry>, options: ParallelReplayOptions = {}): Promise<ReplayCounts> {
  const { workers, ...contain } = options;
  const limits = limitsOf(contain as ContainOptions<unknown>);
  const started = performance.now();
  const source = entries[Symbol.asyncIterator]();
  const counts: ReplayCounts = { total: 0, ok: 0, diverged: 0, failed: 0, loadErrors: 0, stoppedEarly: false, durationMs: 0 };

  // Entries taken from the stream and not yet sent, lowest first (a stopped thread's unanswered ones go back in front).
  const pending: Item[] = [];
  let nextSeq = 0;
  let sourceEnded = false;
  let pulling: Promise<void> | undefined;
  let sourceError: unknown;
  const pull = (): Promise<void> =>
    (pulling ??= (async () => {
      try {
        while (!sourceEnded && pending.length < THREAD_WINDOW) {
          const next = await source.next();
          if (next.done) sourceEnded = true;
          else pending.push({ seq: nextSeq++, entry: next.value });
        }
      } catch (error) {
        sourceError ??= error;
        sourceEnded = true;
      } finally {
        pulling = undefined;
      }
    })());

  // Input errors (a folder without histories) surface here, before any thread loads the module.
  const first = await source.next();
  if (first.done) sourceEnded = true;
  else pending.push({ seq: nextSeq++, entry: first.value });
  await pull();
  if (sourceError) throw sourceError;

  const threads = task.failFast ? 1 : threadCount(workers, sourceEnded ? pending.length : Number.MAX_SAFE_INTEGER);
  const done = new Map<number, ReplayResult>();
  let nextEmit = 0;
  let halted = false;
  const slots: { dispatch: () => void; stop?: () => void }[] = [];
  // This side's garbage (messages, results, the report's cases) is kept near its survivors too: see heap-budget.ts.
  const withinBudget = heapBudget();

  const emit = () => {
    for (let result = done.get(nextEmit); result && !halted; result = done.get(nextEmit)) {
      done.delete(nextEmit++);
      counts.total++;
      if (result.status === "ok") counts.ok++;
      else if (result.status === "diverged") counts.diverged++;
      else if (result.status === "failed") counts.failed++;
      else counts.loadErrors++;
      options.onResult?.(result);
      withinBudget();
      if (task.failFast && result.status !== "ok") {
        halted = true;
        counts.stoppedEarly = nextEmit < nextSeq || !sourceEnded;
        for (const slot of slots) slot.stop?.();
      }
    }
    for (const slot of slots) slot.dispatch();
  };

  const runSlot = async (): Promise<void> => {
    for (;;) {
      const outstanding: Item[] = [];
      // Results in so far, and the file of the last: the thread's n-th history is outstanding[n - answered].
      let answered = 0;
      let lastAnswered: string | undefined;
      let post: ((message: ToWorkerMessage) => void) | undefined;
      let ended = false;
      let dispatching = false;
      const slot: (typeof slots)[number] = {
        dispatch: () => {
          if (!post || ended || dispatching) return;
          // Refill at half the window, so that entries travel in batches rather than one per message.
          if (outstanding.length > THREAD_WINDOW / 2) return;
          dispatching = true;
          void (async () => {
            const batch: Item[] = [];
            while (!halted && outstanding.length + batch.length < THREAD_WINDOW) {
              if (!pending.length && !sourceEnded) await pull();
              const item = pending[0];
              if (!item || item.seq - nextEmit >= ORDER_WINDOW) break;
              batch.push(pending.shift()!);
            }
            if (!sourceEnded && pending.length < THREAD_WINDOW) void pull();
            dispatching = false;
            if (ended || !post) return;
            if (batch.length) {
              outstanding.push(...batch);
              post({ type: "entries", entries: batch.map((item) => item.entry) });
            }
            if (halted || (sourceEnded && !pending.length)) {
              ended = true;
              post({ type: "end" });
            } else if (!batch.length && !outstanding.length) {
              // Waiting on the order window or the stream: tried again when a result or an entry arrives.
              setTimeout(() => slot.dispatch(), 5);
            }
          })();
        },
      };
      slots.push(slot);
      const outcome = await attempt(
        { ...task, files: [], unreadable: undefined },
        limits,
        {
          ...contain,
          onResult: (value: unknown) => {
            const item = outstanding.shift();
            if (item) {
              answered++;
              lastAnswered = entryFile(item.entry);
              done.set(item.seq, value as ReplayResult);
            }
            emit();
          },
        } as ContainOptions<unknown>,
        () => {},
        {
          start: (send, stop) => {
            post = send;
            slot.stop = stop;
            slot.dispatch();
          },
          idle: () => outstanding.length === 0,
          unitAt: (index) => {
            const item = outstanding[index - answered];
            return index < answered ? lastAnswered : item && entryFile(item.entry);
          },
        },
      );
      slots.splice(slots.indexOf(slot), 1);
      if (sourceError) throw sourceError;
      if (outcome.kind === "done" || halted) return;
      if (outcome.kind === "failed") throw failure(outcome);
      if (outcome.unit === undefined) throw loadStop(task as ReplayTask, task.module, outcome);
      const at = outstanding.findIndex((item) => entryFile(item.entry) === outcome.unit);
      const stoppedItem = at === -1 ? { seq: nextEmit, entry: { file: outcome.unit } } : outstanding[at]!;
      done.set(stoppedItem.seq, {
        status: "failed",
        file: outcome.unit,
        events: 0,
        episodes: 0,
        error: `replaying it on ${shownModule(task as ReplayTask, task.module)} ${outcome.what}; ${outcome.advice}`,
        durationMs: 0,
      });
      // What the thread had not answered goes to the next thread first: the histories after the
      // stopped one, and those before it whose results were still held in the thread (see worker-main.ts).
      pending.unshift(...(at === -1 ? outstanding : [...outstanding.slice(0, at), ...outstanding.slice(at + 1)]));
      emit();
      if (halted) return;
    }
  };

  for (;;) {
    const running = Array.from({ length: threads }, () => runSlot());
    await Promise.all(running);
    // Every thread ended while a stopped one's entries went back in the queue: one more round takes them.
    if (halted || !pending.length) break;
  }
  if (sourceError) throw sourceError;
  if (halted && !sourceEnded) {
    // Stopped at the last entry taken: whether it was the last of all decides "stopped early".
    if (nextEmit === nextSeq) counts.stoppedEarly = !(await source.next()).done;
    await source.return?.();
  }
  counts.durationMs = performance.now() - started;
  return counts;
}

function entriesOf(task: ReplayTask): CollectedEntry[] {
  // Directories that could not be listed are reported ahead of every history, as collected.
  return [...(task.unreadable ?? []).map((unreadable) => ({ unreadable })), ...task.files.map((file) => ({ file }))];
}

async function* listed(entries: CollectedEntry[]): AsyncGenerator<CollectedEntry> {
  yield* entries;
}

/** runContainedReplayStream over the task's files, every result kept: the summary lists them in file order. */
export async function runContainedReplayParallel(task: ReplayTask, options: ParallelReplayOptions = {}): Promise<ReplaySummary> {
  const results: ReplayResult[] = [];
  const counts = await runContainedReplayStream(task, listed(entriesOf(task)), {
    ...options,
    onResult: (result) => {
      results.push(result);
      options.onResult?.(result);
    },
  });
  return summarizeReplays(results, counts.stoppedEarly, counts.durationMs);
}

/** Replays the task's files in one contained thread; a history that hangs or crashes the thread is a failed result, and replay resumes after it. */
export function runContainedReplay(task: ReplayTask, options: ContainOptions<ReplayResult> = {}): Promise<ReplaySummary> {
  return runContainedReplayParallel(task, { ...options, workers: 1 });
}
