/**
 * The thread that runs user code. It loads the module(s) of one task with the network guarded and
 * process.exit / process.abort noted in shared memory, runs the check, and reports progress and
 * results to the watchdog as plain data. It is always terminated by the watchdog afterwards, so
 * whatever the module left running (intervals, servers, retrying clients) ends with it.
 */
import Module from "node:module";
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { parentPort, workerData } from "node:worker_threads";
import { InputError, isInputError, loadFailureDetail } from "../errors.js";
import type { FuzzConfig } from "../fuzz/config.js";
import { importUserModule } from "../load/import-module.js";
import type { LoadedModule } from "../load/load-module.js";
import { attachHeartbeat, beat, noteExit, noteLoading, onModuleRuns, resetWorlds, historyStarts } from "./heartbeat.js";
import { guardNetwork } from "./network-guard.js";
import { END_OF_OUTPUT, outputOfMarker, type ConfigValues, type ContainedTask, type DriftTask, type FuzzSource, type FuzzTask, type ToWorkerMessage, type WorkerData, type WorkerMessage } from "./protocol.js";
import type { CollectedEntry } from "../replay/collect-files.js";
import { selectLane, selectShard } from "../shard/shard.js";
import { toCloneable } from "./cloneable.js";

/*
 * Each thread compiles what it loads afresh (the SDK, tsx, the TypeScript compiler for type
 * inference); Node 22.1+ can keep that compiled code on disk between runs, as the CLI's own thread
 * does (see bin/dtcheck.js). Node 20 has no such call.
 */
(Module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const port = parentPort!;
const { task, heartbeat } = (workerData as WorkerData | undefined) ?? (await taskFromWatchdog());

/**
 * A thread started ahead of its task (see thread.ts) waits for it as its first message, and loads
 * the module loader meanwhile: the CLI's own thread is still starting up beside it.
 */
function taskFromWatchdog(): Promise<WorkerData> {
  // A failure here is reported by the import the task makes.
  import("../load/load-module.js").catch(() => undefined);
  return new Promise((resolve) => port.once("message", (data: WorkerData) => resolve(data)));
}

/* Imported when a task loads a module (with the SDK patching behind it), so a config import does without it. */
async function loadModule(file: string): Promise<LoadedModule> {
  return (await import("../load/load-module.js")).loadModule(file);
}

function send(message: WorkerMessage): void {
  port.postMessage(message);
}

/** The file whose top-level code runs now, for messages about what it did. */
let current = task.kind === "drift" ? task.candidate : task.module;

/** The file whose code prints what the streams carry next: the watchdog labels output with it. */
let printing = current;
function outputOf(file: string): void {
  if (file === printing) return;
  printing = file;
  const marker = outputOfMarker(file);
  process.stdout.write(marker);
  process.stderr.write(marker);
}
// In a drift, code that is not the candidate's is the baseline's (a git baseline runs from a temporary checkout).
const candidateFile = task.kind === "drift" ? resolve(task.cwd, task.candidate) : undefined;
onModuleRuns((file) => outputOf(task.kind === "drift" && file !== candidateFile ? task.baseline : file));

attachHeartbeat(heartbeat);
guardNetwork((target) => send({ type: "network", target, module: current }));
const firstLine = (reason: unknown) => String(reason instanceof Error ? reason.message : reason).split("\n")[0]!;
process.on("unhandledRejection", (reason) => send({ type: "uncaught", message: firstLine(reason), module: current }));
process.on("uncaughtException", (error) => send({ type: "uncaught", message: firstLine(error), module: current }));
const exit = process.exit.bind(process);
process.exit = ((code?: number | string | null) => {
  const numeric = Number(code ?? process.exitCode ?? 0);
  noteExit("exit", Number.isInteger(numeric) ? numeric : 1);
  exit(code ?? undefined);
}) as typeof process.exit;
process.abort = () => {
  noteExit("abort", 134);
  exit(134);
  // exit() ends the thread; this line is never reached, but abort's type says it never returns.
  throw new Error("process.abort()");
};

/**
 * The entries the watchdog sends (see parallel.ts), as one stream that ends with its "end"
 * message; `waiting` runs whenever the stream has to wait for more.
 */
async function* fedEntries(waiting: () => void): AsyncGenerator<CollectedEntry> {
  const queue: CollectedEntry[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  port.on("message", (message: ToWorkerMessage) => {
    if (message.type === "entries") queue.push(...message.entries);
    else ended = true;
    wake?.();
  });
  for (;;) {
    if (queue.length) yield queue.shift()!;
    else if (ended) return;
    else {
      waiting();
      await new Promise<void>((resolve) => (wake = resolve));
    }
  }
}

/** A .ts config outside a "type": "module" package comes back from tsx as { default: { __esModule, default } }. */
function defaultExport(mod: Record<string, unknown>): Record<string, unknown> {
  let value = (mod["default"] ?? mod) as Record<string, unknown>;
  if (value && typeof value === "object" && value["__esModule"]) value = (value["default"] ?? value) as Record<string, unknown>;
  return value ?? {};
}

async function fuzzConfig(source: FuzzSource): Promise<FuzzConfig> {
  const { readFuzzConfig, applyInputOverrides } = await import("../fuzz/config.js");
  let config = source.config ?? {};
  if (source.configFile) {
    noteLoading("config");
    outputOf(source.configFile);
    config = readFuzzConfig(defaultExport(await importUserModule(source.configFile))["fuzz"], source.configFile);
  }
  return applyInputOverrides(config, source.overrides);
}

/** Results held until a few are in (or a while has passed, or the thread waits), then sent as one message. */
const RESULTS_PER_MESSAGE = 32;
const RESULTS_HELD_MS = 50;
function resultBatch(): { add(value: unknown): void; flush(): void } {
  let values: unknown[] = [];
  let firstAt = 0;
  const flush = () => {
    if (!values.length) return;
    send({ type: "results", values: toCloneable(values) as unknown[] });
    values = [];
  };
  return {
    add(value) {
      if (!values.length) firstAt = performance.now();
      values.push(value);
      if (values.length >= RESULTS_PER_MESSAGE || performance.now() - firstAt >= RESULTS_HELD_MS) flush();
    },
    flush,
  };
}

function unitStarts(name: string): void {
  beat();
  resetWorlds();
  send({ type: "unit", name });
}

/** Loads a module ahead of the check so that its load and the check are told apart; a load error is left for the check to report as it always does. */
async function preload(file: string): Promise<LoadedModule | undefined> {
  current = file;
  outputOf(file);
  noteLoading(task.kind === "drift" && file === task.baseline && file !== task.candidate ? "baseline" : "module");
  return loadModule(file).catch((error: unknown) => {
    if (isInputError(error)) return undefined;
    throw error;
  });
}

/**
 * The "loaded" message of a fuzz or drift thread: the orchestrators it is about to check, in order
 * (what the check's own pickTargets will pick), and with a lane, how many all lanes check.
 */
function loadedMessage(task: FuzzTask | DriftTask, module: LoadedModule | undefined): WorkerMessage {
  const names = task.orchestrators?.length ? task.orchestrators : module ? [...module.orchestrators.keys()] : undefined;
  if (!names) return { type: "loaded" };
  const shard = selectShard(names, (name) => name, task.shard);
  return { type: "loaded", units: selectLane(shard, task.lane), ...(task.lane ? { total: shard.length } : {}) };
}

/** Plain data only: a class instance (a fast-check arbitrary) would clone without its methods and mean something else on the other side. */
function isPlainData(value: unknown): boolean {
  if (value === null || ["string", "number", "boolean"].includes(typeof value)) return true;
  if (Array.isArray(value)) return value.every(isPlainData);
  if (typeof value !== "object") return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return (prototype === Object.prototype || prototype === null) && Object.values(value as object).every(isPlainData);
}

async function readConfig(file: string): Promise<ConfigValues> {
  let value: unknown;
  try {
    value = defaultExport(await importUserModule(file));
  } catch (error) {
    throw new InputError(`could not be loaded: ${loadFailureDetail(error, file)}`, { cause: error });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { isObject: false, values: {}, opaque: [] };
  const values: Record<string, unknown> = {};
  const opaque: string[] = [];
  for (const [key, setting] of Object.entries(value)) {
    if (setting === undefined) continue;
    if (isPlainData(setting)) values[key] = setting;
    else opaque.push(key);
  }
  return { isObject: true, values, opaque };
}

/* Each task imports only what it runs (fast-check and the fuzzers are not needed to replay): the thread starts sooner. */
async function run(task: ContainedTask): Promise<unknown> {
  const onResult = (value: unknown) => send({ type: "results", values: [toCloneable(value)] });
  switch (task.kind) {
    case "replay": {
      // A module that does not load is one line about the module, not one error per history.
      current = task.module;
      await loadModule(task.module);
      send({ type: "loaded" });
      const { replayEntries } = await import("../replay/replay-histories.js");
      const { heapBudget } = await import("./heap-budget.js");
      const withinBudget = heapBudget();
      const results = resultBatch();
      const onStart = () => {
        beat();
        historyStarts();
      };
      const outcome = await replayEntries(fedEntries(results.flush), { ...task, onStart }, (result) => {
        results.add(result);
        withinBudget();
      });
      results.flush();
      return outcome;
    }
    case "fuzz": {
      const module = await preload(task.module);
      const fuzz = await fuzzConfig(task.fuzz);
      send(loadedMessage(task, module));
      const { fuzzModule } = await import("../check/module-checks.js");
      return fuzzModule(task.module, { ...task, fuzz, onStart: unitStarts, onResult });
    }
    case "drift": {
      const candidate = await preload(task.candidate);
      if (task.savedOnly && candidate) {
        send({ type: "loaded", units: [] });
        const { replayHistories } = await import("../replay/replay-histories.js");
        const saved = await replayHistories(task.histories ?? [], { module: candidate, cwd: task.cwd, strict: task.strict, shard: task.shard });
        return { baseline: task.baseline, candidate: task.candidate, seed: task.seed, results: [], removed: [], saved };
      }
      const baseline = await preload(task.baseline);
      current = task.candidate;
      const fuzz = await fuzzConfig(task.fuzz);
      send(loadedMessage(task, baseline));
      const { driftModules } = await import("../check/module-checks.js");
      return driftModules({ ...task, fuzz, onStart: unitStarts, onResult });
    }
    case "config": {
      const config = await readConfig(task.module);
      send({ type: "loaded" });
      return config;
    }
    case "record": {
      await preload(task.module);
      send({ type: "loaded" });
      unitStarts(task.orchestrator ?? "");
      const { recordHistory } = await import("../record/record.js");
      return recordHistory(task);
    }
  }
}

let final: WorkerMessage;
try {
  final = { type: "done", value: toCloneable(await run(task)) };
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  final = { type: "failed", message, inputError: isInputError(error), stack: error instanceof Error ? error.stack : undefined };
}
process.stdout.write(END_OF_OUTPUT);
process.stderr.write(END_OF_OUTPUT);
send(final);
