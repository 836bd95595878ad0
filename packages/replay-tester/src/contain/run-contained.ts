/**
 * The watchdog side of contained execution: each check runs the user's code in a worker thread
 * with a memory limit and captured output, watched for hangs (no episode starting for too long, a
 * history taking too long, a module that never finishes loading), exits and crashes. Whatever
 * happens, the thread is terminated once the answer is in, so nothing the module left running
 * keeps dtcheck alive. A failure about the module is one InputError line; a hang or crash inside
 * one history or orchestrator is reported against it and the run resumes after it in a new thread.
 */
import { performance } from "node:perf_hooks";
import { InputError, shownPath } from "../errors.js";
import type { ModuleDriftResult } from "../check/module-checks.js";
import type { DriftResult, FuzzResult } from "../fuzz/result.js";
import { freshSeed } from "../fuzz/seed.js";
import { parseGitSpec } from "../git/git-spec.js";
import { withGitCheckout } from "../git/worktree.js";
import type { History } from "../history/model.js";
import { mergeLanes } from "../shard/shard.js";
import { createHeartbeatBuffer, readHeartbeat, type LoadingFile } from "./heartbeat.js";
import { startContainedThread } from "./thread.js";
import { DEFAULT_LIMITS, formatLimit, type ContainmentLimits } from "./limits.js";
import { END_OF_OUTPUT, splitByOwner, type ConfigTask, type ConfigValues, type ContainedTask, type DriftTask, type FuzzTask, type RecordTask, type ToWorkerMessage, type WorkerData, type WorkerMessage } from "./protocol.js";

export interface ContainOptions<R> {
  limits?: Partial<ContainmentLimits>;
  /** Each history's or orchestrator's result as it arrives, e.g. for progress. */
  onResult?: (result: R) => void;
  /** The orchestrators a fuzz or drift run is about to check, once the module has loaded: the progress total. */
  onUnits?: (names: string[]) => void;
  /** While an orchestrator is checked: how many fuzzed worlds it has started (shrinking included), at most a few times a second. */
  onWorlds?: (orchestrator: string, worlds: number) => void;
  /** What user code wrote to stdout or stderr, by the module that was running. */
  onOutput?: (text: string, module: string) => void;
  /** One line about something user code did that did not stop the check (a blocked connection, an uncaught error). */
  onWarning?: (line: string) => void;
}

/** A history or orchestrator whose check the watchdog had to stop. */
export interface StoppedUnit {
  /** The history file (replay) or orchestrator name (fuzz, drift). */
  unit: string;
  /** One line: what happened and what to do. */
  message: string;
}

export type Attempt =
  | { kind: "done"; value: unknown }
  | { kind: "failed"; message: string; inputError: boolean }
  /** The watchdog stopped the thread, or it ended by itself: during the load, or inside `unit`. */
  | { kind: "stopped"; unit?: string; what: string; advice: string; aboutLoading?: boolean; loadingFile?: string };

/** How a replay thread is fed its entries as it goes (see replay-pool.ts). */
export interface ThreadFeed {
  /** The thread has started: `post` sends it messages, `stop` ends the attempt at once (as done, with no value). */
  start(post: (message: ToWorkerMessage) => void, stop: () => void): void;
  /** Nothing sent is unanswered: the thread waits for entries, so no time limit runs. */
  idle(): boolean;
  /** The history the thread started as its `index`-th (from 0): the thread counts them in the heartbeat. */
  unitAt(index: number): string | undefined;
}
/** How long the final answer waits for the thread's last output to arrive. */
const OUTPUT_GRACE_MS = 1000;

export function attempt(
  task: ContainedTask,
  limits: ContainmentLimits,
  options: ContainOptions<unknown>,
  onLoaded: (units: string[] | undefined, total: number | undefined) => void,
  feed?: ThreadFeed,
): Promise<Attempt> {
  const heartbeat = createHeartbeatBuffer();
  const workerData: WorkerData = { task, heartbeat };
  const worker = startContainedThread(workerData, limits.memoryMb);
  const primary = task.kind === "drift" ? task.candidate : task.module;
  const shown = (file: string) => shownModule(task, file);
  const warned = new Set<string>();
  let loaded = false;
  let unit: string | undefined;
  let unitStartedAt = 0;
  let lastBeats = 0;
  let lastUnits = 0;
  let lastWorlds = 0;
  let lastBeatAt = performance.now();
  const startedAt = lastBeatAt;
  let outOfMemory = false;

  // The final message waits (briefly) until both streams have delivered everything written before it.
  let streamsOpen = 2;
  let whenOutputEnds: (() => void) | undefined;
  // Who printed it: a drift's baseline, its candidate or a config (the thread marks each change in the streams).
  const printedBy = (file: string) => (task.kind === "drift" && file === task.baseline && task.baselineLabel) || file;
  for (const stream of [worker.stdout, worker.stderr]) {
    stream.setEncoding("utf8");
    let owner: string | undefined = primary;
    stream.on("data", (text: string) => {
      const end = text.indexOf(END_OF_OUTPUT);
      const before = end === -1 ? text : text.slice(0, end) + text.slice(end + END_OF_OUTPUT.length);
      const split = splitByOwner(before, owner);
      owner = split.owner;
      for (const [file, piece] of split.pieces) options.onOutput?.(piece, printedBy(file ?? primary));
      if (end !== -1 && --streamsOpen === 0) whenOutputEnds?.();
    });
  }
  const warn = (line: string) => {
    if (warned.has(line)) return;
    warned.add(line);
    options.onWarning?.(line);
  };

  return new Promise<Attempt>((resolve) => {
    let settled = false;
    const settle = (outcome: Attempt) => {
      if (settled) return;
      settled = true;
      // Stopped while importing: name the file being imported then (a drift baseline, a config), not always the module.
      if (outcome.kind === "stopped" && !loaded) outcome = { ...outcome, loadingFile: loadingFileOf(task, readHeartbeat(heartbeat).loading) };
      clearInterval(watchdog);
      void worker.terminate();
      resolve(outcome);
    };
    let answer: Attempt | undefined;
    const afterOutput = (outcome: Attempt) => {
      if (streamsOpen === 0) return settle(outcome);
      // The answer is in: no limit applies any more, and a thread that ends by itself now has finished.
      answer = outcome;
      clearInterval(watchdog);
      whenOutputEnds = () => settle(outcome);
      // Output a module swallowed (it replaced process.stdout.write) must not hold the answer back.
      setTimeout(() => settle(outcome), OUTPUT_GRACE_MS).unref();
    };
    // A fed thread (replay) counts the histories it starts: the current one is the next of those it was sent.
    const currentUnit = (now: number): string | undefined => {
      const units = feed ? readHeartbeat(heartbeat).units : 0;
      if (feed && units !== lastUnits) {
        lastUnits = units;
        unit = feed.unitAt(units - 1);
        unitStartedAt = now;
      }
      return unit;
    };
    const tick = Math.max(5, Math.min(250, Math.floor(Math.min(limits.loadTimeoutMs, limits.episodeTimeoutMs, limits.historyTimeoutMs) / 5)));
    const watchdog = setInterval(() => {
      const now = performance.now();
      const { beats, worlds } = readHeartbeat(heartbeat);
      currentUnit(now);
      if (loaded && feed?.idle()) {
        // Waiting for the next entries is not a hang: the limits count from when work arrives.
        lastBeatAt = unitStartedAt = now;
        return;
      }
      if (beats !== lastBeats) {
        lastBeats = beats;
        lastBeatAt = now;
      }
      if (unit !== undefined && worlds !== lastWorlds && (task.kind === "fuzz" || task.kind === "drift")) {
        lastWorlds = worlds;
        options.onWorlds?.(unit, worlds);
      }
      if (!loaded) {
        if (now - startedAt > limits.loadTimeoutMs) {
          settle({
            kind: "stopped",
            what: `did not finish loading within ${formatLimit(limits.loadTimeoutMs)}`,
            aboutLoading: true,
            advice: `a top-level await that never settles, or an endless loop at import? ${task.kind === "config" ? "a dtcheck config only exports its settings" : "dtcheck only needs the registrations"}; or raise --load-timeout`,
          });
        }
        return;
      }
      if (now - lastBeatAt > limits.episodeTimeoutMs) {
        settle({
          kind: "stopped",
          unit,
          what: `did not finish an episode within ${formatLimit(limits.episodeTimeoutMs)}`,
          advice: "an endless loop in the orchestrator? every loop must yield a durable task or end; or raise --episode-timeout",
        });
      } else if (unit !== undefined && (task.kind === "replay" || task.kind === "record") && now - unitStartedAt > limits.historyTimeoutMs) {
        settle({
          kind: "stopped",
          unit,
          what: `did not finish the history within ${formatLimit(limits.historyTimeoutMs)}`,
          advice: "does the orchestrator loop without end? or raise --history-timeout",
        });
      }
    }, tick);

    feed?.start(
      (message) => worker.postMessage(message),
      () => settle({ kind: "done", value: undefined }),
    );
    worker.on("message", (message: WorkerMessage) => {
      switch (message.type) {
        case "loaded":
          loaded = true;
          lastBeatAt = performance.now();
          onLoaded(message.units, message.total);
          break;
        case "unit":
          unit = message.name;
          unitStartedAt = performance.now();
          lastWorlds = 0;
          break;
        case "results":
          for (const value of message.values) options.onResult?.(value);
          break;
        case "network":
          warn(
            `${shown(message.module)} connects to ${message.target} while being ${loaded ? "checked" : "loaded"}; dtcheck never starts workers or clients, so the connection was refused before anything was sent. The check goes on; to silence this, connect only when the file is run as a program`,
          );
          break;
        case "uncaught":
          warn(`${shown(message.module)} let an error escape while being ${loaded ? "checked" : "loaded"} (ignored): ${message.message}`);
          break;
        case "done":
          afterOutput({ kind: "done", value: message.value });
          break;
        case "failed":
          afterOutput({ kind: "failed", message: message.message, inputError: message.inputError });
          break;
      }
    });
    worker.on("error", (error: Error & { code?: string }) => {
      currentUnit(performance.now());
      if (error.code === "ERR_WORKER_OUT_OF_MEMORY") outOfMemory = true;
      else settle({ kind: "failed", message: error.message, inputError: false });
    });
    worker.on("exit", (code) => {
      if (answer) return settle(answer);
      currentUnit(performance.now());
      if (outOfMemory) {
        settle({
          kind: "stopped",
          unit,
          what: `ran out of memory (over ${limits.memoryMb} MB)`,
          advice: "look for an allocation without bound, or raise --memory-limit",
        });
        return;
      }
      const { exit, exitCode } = readHeartbeat(heartbeat);
      const ending =
        task.kind === "config"
          ? "a dtcheck config only exports its settings: remove the call"
          : "dtcheck cannot check code that ends the process: do that only when the file is run as a program";
      if (exit === "exit") settle({ kind: "stopped", unit, what: `calls process.exit(${exitCode})`, advice: ending });
      else if (exit === "abort") settle({ kind: "stopped", unit, what: "calls process.abort()", advice: ending });
      else if (!loaded) {
        settle({
          kind: "stopped",
          what: "never finishes loading",
          aboutLoading: true,
          advice: "a top-level await waits for something that never happens (nothing is left to run); settle or remove it",
        });
      } else settle({ kind: "stopped", unit, what: `stopped with exit code ${code} before the check finished`, advice: "please report it" });
    });
  });
}

/** The file a task's thread was importing, as messages name it. */
function loadingFileOf(task: ContainedTask, loading: LoadingFile): string {
  if (loading === "baseline" && task.kind === "drift") return task.baselineLabel ?? shownModule(task, task.baseline);
  if (loading === "config" && (task.kind === "fuzz" || task.kind === "drift") && task.fuzz.configFile) return shownModule(task, task.fuzz.configFile);
  return shownModule(task, task.kind === "drift" ? task.candidate : task.module);
}

export function limitsOf(options: ContainOptions<unknown>): ContainmentLimits {
  return { ...DEFAULT_LIMITS, ...Object.fromEntries(Object.entries(options.limits ?? {}).filter(([, v]) => v !== undefined)) };
}

export function failure(outcome: Extract<Attempt, { kind: "failed" }>): Error {
  return outcome.inputError ? new InputError(outcome.message) : new Error(outcome.message);
}

export function shownModule(task: ContainedTask, file: string): string {
  return shownPath(file, task.cwd);
}

/** A stop during the load is about the module: one line, exit 2. */
export function loadStop(task: ContainedTask, module: string, outcome: Extract<Attempt, { kind: "stopped" }>): InputError {
  const what = outcome.aboutLoading ? outcome.what : `${outcome.what} while being loaded`;
  return new InputError(`${what}; ${outcome.advice}`, { file: outcome.loadingFile ?? shownModule(task, module) });
}

/**
 * Runs a per-orchestrator check (fuzz, drift) in contained threads: an orchestrator whose check
 * hangs or crashes the thread is stopped and reported, and the rest are checked in a new thread.
 * Results arrive one by one through `collect`; `onDone` gets the last thread's final value.
 * Returns the stopped orchestrators and the ones the first thread set out to check, in order.
 */
async function runByOrchestrator<T extends FuzzTask | DriftTask>(
  task: T,
  options: ContainOptions<unknown>,
  collect: (value: unknown) => string,
  onDone: (value: unknown, skipped: string[]) => void,
  onTotal?: (total: number) => void,
): Promise<{ stopped: StoppedUnit[]; units: string[] }> {
  const limits = limitsOf(options);
  const stopped: StoppedUnit[] = [];
  const reported = new Set<string>();
  const skipped: string[] = [];
  let current: T = { ...task };
  let units: string[] | undefined;
  let first: string[] | undefined;
  const module = task.kind === "drift" ? task.candidate : task.module;
  const withCollect = { ...options, onResult: (value: unknown) => reported.add(collect(value)) };
  for (;;) {
    const outcome = await attempt(current, limits, withCollect, (names, total) => {
      // First how many lanes there will be (runInLanes counts the lanes that have loaded against it).
      if (!first && total !== undefined) onTotal?.(total);
      // A thread started after a stop gets the orchestrators still to check: the total is the first thread's.
      if (!units && names) options.onUnits?.(names);
      units ??= names;
      first ??= names;
    });
    if (outcome.kind === "done") {
      onDone(outcome.value, skipped);
      return { stopped, units: first ?? [] };
    }
    if (outcome.kind === "failed") throw failure(outcome);
    if (outcome.unit === undefined || !units) throw loadStop(task, module, outcome);
    stopped.push({ unit: outcome.unit, message: `${outcome.what}; ${outcome.advice}` });
    const at = units.indexOf(outcome.unit);
    // Orchestrators before the stopped one with no result were skipped by the check itself (drift: removed in the candidate).
    skipped.push(...units.slice(0, at).filter((name) => !reported.has(name)));
    units = units.slice(at + 1);
    // The names left are this lane's already: the next thread checks them all.
    if (units.length) current = { ...current, orchestrators: units, lane: undefined };
    else if (current.kind === "drift" && current.histories?.length && !task.lane?.index) current = { ...current, orchestrators: units, lane: undefined, savedOnly: true };
    else {
      onDone(undefined, skipped);
      return { stopped, units: first ?? [] };
    }
  }
}

/** Options of a per-orchestrator check in contained threads. */
export interface ByOrchestratorOptions<R> extends ContainOptions<R> {
  /** Threads checking orchestrators side by side (default 1); each loads the module(s) itself. The results are the same for any number. */
  workers?: number;
}

/**
 * runByOrchestrator in `workers` threads side by side, each checking its lane of the orchestrators
 * (every n-th one). Returns what was stopped and every orchestrator set out for, both in the
 * module's order; `onDone` is called once, with lane 0's final value and what every lane removed
 * (drift) in that order, and the skipped ones likewise.
 */
async function runInLanes<T extends FuzzTask | DriftTask>(
  task: T,
  options: ByOrchestratorOptions<unknown>,
  collect: (value: unknown) => string,
  onDone: (value: unknown, skipped: string[]) => void,
): Promise<{ stopped: StoppedUnit[]; order: string[] }> {
  const { workers, ...contain } = options;
  const count = Math.max(1, workers ?? 1);
  if (count === 1) {
    const { stopped, units } = await runByOrchestrator(task, contain, collect, onDone);
    return { stopped, order: units };
  }
  // The first lane starts alone. Once its thread has loaded the module it says how many
  // orchestrators there are, and only the lanes that have some start: a module with one
  // orchestrator is loaded (and prints what it prints at import) once, not once per thread.
  const laneUnits: string[][] = [];
  let lanesNeeded = count;
  let lanesLoaded = 0;
  const finals: { value: unknown; skipped: string[] }[] = [];
  const started: Promise<{ stopped: StoppedUnit[]; units: string[] }>[] = [];
  let othersStarted!: () => void;
  const allStarted = new Promise<void>((resolve) => (othersStarted = resolve));
  const runLane = (index: number, onTotal?: (total: number) => void) =>
    runByOrchestrator(
      { ...task, lane: { index, count } },
      {
        ...contain,
        onUnits: (names) => {
          laneUnits[index] = names;
          if (++lanesLoaded === lanesNeeded) contain.onUnits?.(mergeLanes(laneUnits));
        },
      },
      collect,
      (value, skipped) => (finals[index] = { value, skipped }),
      onTotal,
    );
  started.push(
    runLane(0, (total) => {
      lanesNeeded = Math.max(1, Math.min(count, total));
      for (let index = 1; index < lanesNeeded; index++) {
        const lane = runLane(index);
        // Awaited with the others below; a rejection must not count as unhandled meanwhile.
        lane.catch(() => undefined);
        started.push(lane);
      }
      othersStarted();
    }),
  );
  // The first lane may end before it loads (a module that fails to load): then it is the only one.
  await Promise.race([allStarted, started[0]]);
  const lanes = await Promise.all(started);
  const order = mergeLanes(lanes.map((lane) => lane.units));
  const inOrder = inOrderOf(order);
  const lane0 = finals[0]?.value as { removed?: string[] } | undefined;
  const removed = finals.flatMap((final) => (final.value as { removed?: string[] } | undefined)?.removed ?? []);
  onDone({ ...lane0, removed: inOrder(removed, (name) => name) }, inOrder(finals.flatMap((final) => final.skipped), (name) => name));
  return { stopped: inOrder(lanes.flatMap((lane) => lane.stopped), (stop) => stop.unit), order };
}

/** Sorts items by where their orchestrator comes in `order` (stable; unknown names last). */
function inOrderOf(order: readonly string[]): <I>(items: I[], name: (item: I) => string) => I[] {
  const position = new Map(order.map((name, index) => [name, index]));
  const at = (name: string) => position.get(name) ?? order.length;
  return (items, name) => [...items].sort((a, b) => at(name(a)) - at(name(b)));
}

export interface ContainedFuzz {
  seed: number;
  results: FuzzResult[];
  stopped: StoppedUnit[];
}

/** fuzzModule in contained threads. */
export async function runContainedFuzz(task: FuzzTask, options: ByOrchestratorOptions<FuzzResult> = {}): Promise<ContainedFuzz> {
  const results: FuzzResult[] = [];
  const collect = (value: unknown) => {
    const result = value as FuzzResult;
    results.push(result);
    options.onResult?.(result);
    return result.orchestrator;
  };
  const seed = task.seed ?? freshSeed();
  const { stopped, order } = await runInLanes({ ...task, seed }, options as ByOrchestratorOptions<unknown>, collect, () => {});
  return { seed, results: inOrderOf(order)(results, (result) => result.orchestrator), stopped };
}

export interface ContainedDrift extends ModuleDriftResult {
  stopped: StoppedUnit[];
}

/**
 * driftModules in contained threads; a git baseline is checked out (and always removed) on this
 * side, and `relabel` names its temporary files as the git spec in everything returned.
 */
export async function runContainedDrift(task: DriftTask, options: ByOrchestratorOptions<DriftResult> = {}, relabel = <V>(value: V) => value): Promise<ContainedDrift> {
  const git = parseGitSpec(task.baseline);
  if (git) {
    return withGitCheckout(git, task.cwd, (file, relabelCheckout) => runContainedDrift({ ...task, baseline: file, baselineLabel: task.baseline }, options, relabelCheckout));
  }
  const seed = task.seed ?? freshSeed();
  const label = task.baselineLabel ?? task.baseline;
  const results: DriftResult[] = [];
  const collect = (value: unknown) => {
    const result = relabel({ ...(value as DriftResult), baseline: label, candidate: task.candidate });
    results.push(result);
    options.onResult?.(result);
    return result.orchestrator;
  };
  let final: ModuleDriftResult | undefined;
  let removedEarlier: string[] = [];
  const { stopped, order } = await runInLanes({ ...task, seed }, options as ByOrchestratorOptions<unknown>, collect, (value, skipped) => {
    final = value as ModuleDriftResult;
    removedEarlier = skipped;
  });
  // Each result was relabelled as it arrived (progress shows it); the rest of the answer is, once, here.
  const rest = relabel({ removed: [...removedEarlier, ...(final?.removed ?? [])], saved: final?.saved, stopped });
  return { baseline: label, candidate: task.candidate, seed, results: inOrderOf(order)(results, (result) => result.orchestrator), ...rest };
}

/** recordHistory in a contained thread: a hang or crash is one line about the module. */
export async function runContainedRecord(task: RecordTask, options: ContainOptions<never> = {}): Promise<History> {
  const outcome = await attempt(task, limitsOf(options as ContainOptions<unknown>), options as ContainOptions<unknown>, () => {});
  if (outcome.kind === "done") return outcome.value as History;
  if (outcome.kind === "failed") throw failure(outcome);
  if (outcome.unit === undefined) throw loadStop(task, task.module, outcome);
  const name = outcome.unit ? `orchestrator "${outcome.unit}"` : "the orchestrator";
  throw new InputError(`recording ${name} ${outcome.what}; ${outcome.advice}`, { file: shownModule(task, task.module) });
}

/**
 * Imports a dtcheck.config module in a contained thread, as user code: an exit, a hang, a crash or a
 * throw is one line naming the config file, what it printed goes to `onOutput`, a connection is
 * refused and warned about, and nothing it leaves running outlives the import.
 */
export async function runContainedConfig(task: ConfigTask, options: ContainOptions<never> = {}): Promise<ConfigValues> {
  const outcome = await attempt(task, limitsOf(options as ContainOptions<unknown>), options as ContainOptions<unknown>, () => {});
  if (outcome.kind === "done") return outcome.value as ConfigValues;
  if (outcome.kind === "failed") throw outcome.inputError ? new InputError(outcome.message, { file: shownModule(task, task.module) }) : new Error(outcome.message);
  throw loadStop(task, task.module, outcome);
}
