/**
 * Every core for a directory replay: the files are dealt into one share per thread, each share is
 * replayed by its own contained thread (watchdog, limits and restart-after-a-hang included, see
 * run-contained.ts), and the results are put back in the order of the files, so a report is the
 * same whatever the number of threads.
 *
 * A general pool (tinypool, piscina) queues small tasks to long-lived threads; here a thread must
 * be thrown away when user code hangs in it, and loading the user's module is the dominant start-up
 * cost, so one long task per thread, started once, is both simpler and faster.
 */
import { summarizeReplays } from "../replay/replay-histories.js";
import type { ReplayResult, ReplaySummary } from "../replay/result.js";
import type { ReplayTask } from "./protocol.js";
import { runContainedReplay, type ContainOptions } from "./run-contained.js";


/**
 * The number of threads for `units` histories: as many as asked for, never more than there are
 * histories. One by default: on this project's 2-core CI machine two threads were no faster for
 * 4,000 or 12,000 small histories (each thread loads the module, its SDK and tsx afresh, about
 * 1 s of CPU, and the threads' file reads compete), so more threads are the user's call.
 */
export function threadCount(requested: number | undefined, units: number): number {
  return Math.max(1, Math.min(requested ?? 1, units));
}

/** Item i goes to share i mod count: shares of equal size within one, each in the original order. */
export function deal<T>(items: readonly T[], count: number): T[][] {
  const shares: T[][] = Array.from({ length: count }, () => []);
  items.forEach((item, index) => shares[index % count]!.push(item));
  return shares;
}

export interface ParallelReplayOptions extends ContainOptions<ReplayResult> {
  /** Threads to use (default 1); always 1 with failFast, which stops at the first failure in file order. */
  workers?: number;
}

/** runContainedReplay over every core; the summary lists results in file order, as one thread would. */
export async function runContainedReplayParallel(task: ReplayTask, options: ParallelReplayOptions = {}): Promise<ReplaySummary> {
  const { workers, ...contain } = options;
  const count = task.failFast ? 1 : threadCount(workers, task.files.length);
  if (count === 1) return runContainedReplay(task, contain);
  const started = performance.now();
  const shares = deal(task.files, count);
  const summaries = await Promise.all(
    // Directories that could not be listed are reported once, ahead of every history, as one thread does.
    shares.map((files, index) => runContainedReplay({ ...task, files, unreadable: index === 0 ? task.unreadable : undefined }, contain)),
  );
  const position = new Map(task.files.map((file, index) => [file, index]));
  // A result with no file of the task (an unreadable directory) keeps its place in front.
  const rank = (result: ReplayResult) => (result.file === undefined ? -1 : (position.get(result.file) ?? -1));
  const results = summaries.flatMap((summary) => summary.results).sort((a, b) => rank(a) - rank(b));
  return summarizeReplays(results, summaries.some((summary) => summary.stoppedEarly), performance.now() - started);
}
