/**
 * What crosses the thread boundary between the watchdog and the thread running user code: tasks
 * described as plain data, and plain-data messages back (structured clone). Nothing here holds a
 * function, a loaded module or an SDK object.
 */
import type { FuzzConfig, InputOverrides } from "../fuzz/config.js";
import type { HistoryFormat } from "../history/model.js";
import type { CollectedEntry } from "../replay/collect-files.js";
import type { Lane, Shard } from "../shard/shard.js";

/**
 * The fuzz section travels as data when it is data (a JSON config); arbitraries cannot be cloned,
 * so then the contained thread reads the config file again itself.
 */
export interface FuzzSource {
  config?: FuzzConfig;
  /** A dtcheck.config.{ts,js,mjs} whose default export's `fuzz` section to read. */
  configFile?: string;
  /** Inputs that replace the config's (the CLI's --input flags). */
  overrides?: InputOverrides;
}

interface TaskBase {
  /** Base directory of relative paths; messages name modules relative to it. */
  cwd: string;
}

export interface ReplayTask extends TaskBase {
  kind: "replay";
  module: string;
  /**
   * History files, already collected, in report order. The thread gets them (and the unreadable
   * directories among them) as `entries` messages instead, a window at a time, so that a million
   * files never sit in one message or one thread's memory.
   */
  files: string[];
  /** Directories found while collecting that could not be listed: failed results ahead of the rest (see collectHistoryInputs). */
  unreadable?: { path: string; message: string }[];
  orchestrator?: string;
  strict?: boolean;
  failFast?: boolean;
}

interface GeneratingTask extends TaskBase {
  orchestrators?: string[];
  /** Only this shard's orchestrators (and, for drift, saved histories): the same filter in every thread, so a resumed run keeps them. */
  shard?: Shard;
  /** This thread's part of the shard's orchestrators, when several threads check them side by side (lane 0 also replays a drift's saved histories). */
  lane?: Lane;
  runs?: number;
  /** Fixed before the first thread starts, so a run resumed after a hang draws the same worlds. */
  seed?: number;
  timeLimitMs?: number;
  path?: string;
  fuzz: FuzzSource;
  /** Derive inputs and results from the orchestrator's declared types (default true). */
  inferTypes?: boolean;
  outDir?: string | false;
  format?: HistoryFormat;
}

export interface FuzzTask extends GeneratingTask {
  kind: "fuzz";
  module: string;
  /** Saved histories whose inputs and results are tried first. */
  seedHistories?: string | string[];
}

export interface DriftTask extends GeneratingTask {
  kind: "drift";
  /** A module path: a git baseline is checked out by the watchdog's side, which can always clean it up. */
  baseline: string;
  /** How to name the baseline in results (the git spec it was checked out from). */
  baselineLabel?: string;
  candidate: string;
  histories?: string[];
  baselineVersion?: string;
  strict?: boolean;
  /** Only replay the saved histories on the candidate (every orchestrator was checked, or stopped, by earlier threads). */
  savedOnly?: boolean;
}

export interface RecordTask extends TaskBase {
  kind: "record";
  module: string;
  orchestrator?: string;
  input?: unknown;
  stubs?: string;
  version?: string;
  instanceId?: string;
}

/** Importing a dtcheck.config.{ts,mts,js,mjs,cjs}: it is user code like any module. */
export interface ConfigTask extends TaskBase {
  kind: "config";
  /** The config file. */
  module: string;
}

/** What a config module's default export is, as data the CLI can use. */
export interface ConfigValues {
  /** False when the default export is not an object (the CLI says what it must be). */
  isObject: boolean;
  /** The settings that are plain data (JSON-like: objects, arrays, strings, numbers, booleans, null). */
  values: Record<string, unknown>;
  /**
   * Settings that are not plain data (functions, fast-check arbitraries, class instances): they
   * cannot leave the thread intact, so whatever needs them (fuzz) imports the config again in its
   * own contained thread.
   */
  opaque: string[];
}

export type ContainedTask = ReplayTask | FuzzTask | DriftTask | RecordTask | ConfigTask;

/**
 * Written to the thread's stdout and stderr just before its final message. The streams reach the
 * watchdog on another channel than messages, so without it the last output (often most of it, on
 * a short run) was lost when the thread was terminated on the final message.
 */
export const END_OF_OUTPUT = "\u0000dtcheck:end-of-output\u0000\n";

/**
 * Written to both streams when the code running in the thread changes hands (a drift's baseline
 * and candidate, a config): what follows was printed by `file`. In the streams themselves, so each
 * line is told apart by who printed it, in order, whenever it arrives.
 */
export const OUTPUT_OF = "\u0000dtcheck:output-of:";
const OUTPUT_OF_END = "\u0000";

export function outputOfMarker(file: string): string {
  return `${OUTPUT_OF}${file}${OUTPUT_OF_END}`;
}

/** Splits stream text at ownership markers: `[file, text]` pieces in order (`file` undefined before the first marker). */
export function splitByOwner(text: string, owner: string | undefined): { pieces: [string | undefined, string][]; owner: string | undefined } {
  const pieces: [string | undefined, string][] = [];
  let rest = text;
  for (let at = rest.indexOf(OUTPUT_OF); at !== -1; at = rest.indexOf(OUTPUT_OF)) {
    if (at > 0) pieces.push([owner, rest.slice(0, at)]);
    const end = rest.indexOf(OUTPUT_OF_END, at + OUTPUT_OF.length);
    if (end === -1) return { pieces, owner }; // a marker cut in two: never the case for one write, dropped rather than shown
    owner = rest.slice(at + OUTPUT_OF.length, end);
    rest = rest.slice(end + OUTPUT_OF_END.length);
  }
  if (rest) pieces.push([owner, rest]);
  return { pieces, owner };
}

/** Messages from the contained thread. */
export type WorkerMessage =
  /**
   * The module(s) loaded: checking starts; `units` are the orchestrators about to be checked (fuzz,
   * drift), and `total` how many the whole run checks when this thread has a lane of them.
   */
  | { type: "loaded"; units?: string[]; total?: number }
  /** A unit of work starts: an orchestrator (fuzz, drift, record); a replay thread counts its histories in the heartbeat instead. */
  | { type: "unit"; name: string }
  /** Results in order: a replay thread sends them in batches (a message per history cost as much as reading it). */
  | { type: "results"; values: unknown[] }
  /** A connection attempt, blocked; `module` is the file being loaded then, else the task's module. */
  | { type: "network"; target: string; module: string }
  /** An error nothing caught (a rejected promise, a throw in a timer callback): reported, then ignored. */
  | { type: "uncaught"; message: string; module: string }
  | { type: "done"; value: unknown }
  | { type: "failed"; message: string; inputError: boolean; stack?: string };

/** Messages to the contained thread (replay): the next entries to replay, in order, and the end of them. */
export type ToWorkerMessage = { type: "entries"; entries: CollectedEntry[] } | { type: "end" };

export interface WorkerData {
  task: ContainedTask;
  heartbeat: SharedArrayBuffer;
}
