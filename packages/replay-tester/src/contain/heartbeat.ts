/*
 * Shared memory between the thread that runs user code and the watchdog. A synchronous endless
 * loop never yields to the event loop, so a message would never be sent; an atomic counter bumped
 * at the start of every episode is visible to the watchdog at once, and so is the exit a module
 * asked for just before its thread ends (a message posted then may never arrive).
 */

const BEATS = 0;
const EXIT_KIND = 1;
const EXIT_CODE = 2;
/** Fuzzed worlds started for the current orchestrator (fuzz, drift): progress without a message per world. */
const WORLDS = 3;
/** Which of a task's files the thread is importing: an exit or a hang then is that file's. */
const LOADING = 4;
/** Units (histories) the thread has started: the watchdog knows which one runs without a message per history. */
const UNITS = 5;
const SLOTS = 6;

export type LoadingFile = "module" | "baseline" | "config";
const LOADING_FILES: readonly LoadingFile[] = ["module", "baseline", "config"];

export type ExitKind = "none" | "exit" | "abort";
const EXIT_KINDS: readonly ExitKind[] = ["none", "exit", "abort"];

let shared: Int32Array | undefined;

export function createHeartbeatBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT);
}

/** Called once in the contained thread; until then beat() is a no-op (in-process library use). */
export function attachHeartbeat(buffer: SharedArrayBuffer): void {
  shared = new Int32Array(buffer);
}

/** Progress: an episode (or a history, an orchestrator) is starting. */
export function beat(): void {
  if (shared) Atomics.add(shared, BEATS, 1);
}

/** A replay thread starts its next history: the next of the entries it was sent, in order. */
export function historyStarts(): void {
  if (shared) Atomics.add(shared, UNITS, 1);
}

let moduleListener: ((file: string) => void) | undefined;

/** Called once in the contained thread: told the module file whose orchestrator each episode runs. */
export function onModuleRuns(listener: (file: string) => void): void {
  moduleListener = listener;
}

/** An episode of an orchestrator from `file` is starting (a drift runs two modules' code in turn). */
export function moduleRuns(file: string | undefined): void {
  if (moduleListener && file !== undefined) moduleListener(file);
}

/** Progress within an orchestrator: a fuzzed world (shrinking attempts included) is starting. */
export function worldStarts(): void {
  if (shared) Atomics.add(shared, WORLDS, 1);
}

/** A new orchestrator: its worlds count from zero. */
export function resetWorlds(): void {
  if (shared) Atomics.store(shared, WORLDS, 0);
}

export function noteExit(kind: Exclude<ExitKind, "none">, code: number): void {
  if (!shared) return;
  Atomics.store(shared, EXIT_CODE, code);
  Atomics.store(shared, EXIT_KIND, EXIT_KINDS.indexOf(kind));
}

export function noteLoading(file: LoadingFile): void {
  if (shared) Atomics.store(shared, LOADING, LOADING_FILES.indexOf(file));
}

/** The watchdog's view of the buffer. */
export function readHeartbeat(buffer: SharedArrayBuffer): { beats: number; worlds: number; units: number; exit: ExitKind; exitCode: number; loading: LoadingFile } {
  const view = new Int32Array(buffer);
  return {
    beats: Atomics.load(view, BEATS),
    units: Atomics.load(view, UNITS),
    worlds: Atomics.load(view, WORLDS),
    exit: EXIT_KINDS[Atomics.load(view, EXIT_KIND)] ?? "none",
    exitCode: Atomics.load(view, EXIT_CODE),
    loading: LOADING_FILES[Atomics.load(view, LOADING)] ?? "module",
  };
}
