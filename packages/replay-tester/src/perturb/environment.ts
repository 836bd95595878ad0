import { createRequire, syncBuiltinESMExports } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";

/**
 * One perturbed environment: what a replay on another machine, at another time, could see.
 * Deterministic orchestrator code behaves identically under any two of them; code that reads the
 * clock, randomness or the environment directly (even deep in a third-party helper) does not.
 */
export interface Perturbation {
  /** Added to Date.now(), `new Date()` and performance.now(), in milliseconds. */
  clockShiftMs: number;
  /**
   * The instant the clock reads when the perturbed run starts (it then runs at real speed), before
   * the shift: a run then sees the same time of day whenever it runs, so what it finds does not
   * depend on the hour (a send window, a weekday check). Absent: the real clock.
   */
  clockAt?: number;
  /**
   * Moves the clock this far forward after every read, as a replay on a host that pauses (a GC, a busy
   * machine) sees it: a check of the time elapsed within one run (`Date.now() - started > 1000`)
   * goes the other way. Absent: the clock runs at real speed.
   */
  clockStepMs?: number;
  /** Seeds Math.random, crypto.randomUUID and crypto.getRandomValues. */
  randomSeed: number;
  /** Variables set (string) or removed (undefined) in process.env; TZ also changes local time. */
  env: Record<string, string | undefined>;
}

/**
 * Where fuzzing's clocks start: a Monday in January, 09:00 UTC (a weekday, a morning, inside
 * business hours). Generation and the first perturbed replay read this time, the second one a
 * Saturday afternoon in July (see REPLAY_CLOCK_SHIFT_MS), whatever the real time is: a seed then
 * finds the same failure at any hour it is run again.
 */
export const FUZZ_CLOCK_START = Date.UTC(2026, 0, 5, 9, 0, 0);

/**
 * From FUZZ_CLOCK_START to Saturday 2026-07-18 13:37:03 UTC, 03:37 on Sunday in the replay's
 * Pacific/Kiritimati (UTC+14): morning becomes afternoon in UTC and night locally, a weekday a
 * weekend, January July (other zones' daylight saving), and the minutes and seconds move too, so a
 * branch on any of them (`getUTCHours() < 12`, business hours, a weekday check) goes the other way.
 */
const REPLAY_CLOCK_SHIFT_MS = Date.UTC(2026, 6, 18, 13, 37, 3) - FUZZ_CLOCK_START;

/** An hour, a minute and a second per read: past the thresholds of elapsed-time checks from a second to an hour. */
const REPLAY_CLOCK_STEP_MS = 3_661_000;

/** Two environments that differ in every respect, used by the determinism property. */
export const DEFAULT_PERTURBATIONS: readonly [Perturbation, Perturbation] = [
  { clockAt: FUZZ_CLOCK_START, clockShiftMs: 0, randomSeed: 1, env: { TZ: "UTC", DTCHECK_PERTURBATION: "a" } },
  {
    clockAt: FUZZ_CLOCK_START,
    clockShiftMs: REPLAY_CLOCK_SHIFT_MS,
    clockStepMs: REPLAY_CLOCK_STEP_MS,
    randomSeed: 2,
    env: { TZ: "Pacific/Kiritimati", DTCHECK_PERTURBATION: "b" },
  },
];

/** The real clock, taken before anything is patched. */
const realDateNow = Date.now.bind(Date);

/** The shift that makes the clock read `perturbation`'s time now. */
function shiftOf(perturbation: Pick<Perturbation, "clockAt" | "clockShiftMs">): number {
  return (perturbation.clockAt === undefined ? 0 : perturbation.clockAt - realDateNow()) + perturbation.clockShiftMs;
}

/** mulberry32: a tiny seeded PRNG; quality is irrelevant, only reproducibility matters. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const require = createRequire(import.meta.url);
// The CommonJS view of node:crypto; syncBuiltinESMExports() pushes patches to `import { randomUUID }` too.
const nodeCrypto = require("node:crypto") as typeof import("node:crypto");

function fakeUuid(random: () => number): `${string}-${string}-${string}-${string}-${string}` {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = "4";
  hex[16] = ((Math.floor(random() * 4) + 8) as number).toString(16);
  const s = hex.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

function fillRandom<T extends ArrayBufferView | null>(random: () => number, array: T): T {
  if (array) {
    const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
  }
  return array;
}

/** A property the perturbation replaces: where it lives, and how to compute the patched value. */
interface Slot {
  obj: object;
  key: string;
  /** The own descriptor before any frame started (undefined when the value comes from the prototype). */
  original?: PropertyDescriptor;
  /** The value before any frame started (own or inherited). */
  value: unknown;
}

/** One active perturbation: the values its slots take and the env it overlays. */
interface Frame {
  values: Map<string, unknown>;
  env: Record<string, string | undefined>;
}

/*
 * The globals always reflect the innermost (most recently started) active frame, and the real
 * ones once no frame is active. A frame that ends out of order (concurrent callers) is simply
 * removed, so interleaved callers can never leave a patch installed. The checks additionally run
 * one at a time (withEnvironmentLock), so a check never sees another's environment.
 */
const frames: Frame[] = [];
let slots: Map<string, Slot> | undefined;
const envOriginals = new Map<string, string | undefined>();

function slotTable(): Map<string, Slot> {
  const table = new Map<string, Slot>();
  const add = (name: string, obj: object, key: string) =>
    table.set(name, { obj, key, original: Object.getOwnPropertyDescriptor(obj, key), value: (obj as Record<string, unknown>)[key] });
  add("Date", globalThis, "Date");
  add("performance.now", performance, "now");
  add("Math.random", Math, "random");
  add("crypto.randomUUID", nodeCrypto, "randomUUID");
  add("crypto.getRandomValues", nodeCrypto, "getRandomValues");
  add("webcrypto.randomUUID", globalThis.crypto, "randomUUID");
  add("webcrypto.getRandomValues", globalThis.crypto, "getRandomValues");
  return table;
}

/** Some builtins are accessors without a setter (node:crypto's getRandomValues), so slots are redefined, never assigned. */
function setSlot(slot: Slot, value: unknown): void {
  if (slot.original && !slot.original.configurable) return;
  Object.defineProperty(slot.obj, slot.key, { value, writable: true, configurable: true, enumerable: slot.original?.enumerable ?? false });
}

function restoreSlot(slot: Slot): void {
  if (slot.original) {
    if (slot.original.configurable) Object.defineProperty(slot.obj, slot.key, slot.original);
  } else {
    delete (slot.obj as Record<string, unknown>)[slot.key];
  }
}

function setEnv(key: string, value: string | undefined): void {
  const env = realEnv();
  if (value === undefined) delete env[key];
  else env[key] = value;
}

/*
 * Which variables the code reads: while a seeded session runs, process.env is a view of the real
 * one that notes every name read through it, so the replay can change the app's own settings
 * (FRAUD_CHECK=on), as a deploy that changes them while instances are in flight would.
 */
let watchedEnv: { real: NodeJS.ProcessEnv; reads: Set<string> | undefined } | undefined;

/** process.env itself, not the session's view of it (reading through which would count as the code's read). */
function realEnv(): NodeJS.ProcessEnv {
  return watchedEnv?.real ?? process.env;
}

async function withEnvReadsWatched<T>(fn: () => Promise<T>): Promise<T> {
  if (watchedEnv) return fn();
  const real = process.env;
  const watch: { real: NodeJS.ProcessEnv; reads: Set<string> | undefined } = { real, reads: undefined };
  const note = (key: string | symbol) => {
    if (typeof key === "string" && watch.reads && !watch.reads.has(key) && readByCode()) watch.reads.add(key);
  };
  process.env = new Proxy(real, {
    get: (target, key) => (note(key), Reflect.get(target, key)),
    has: (target, key) => (note(key), Reflect.has(target, key)),
    getOwnPropertyDescriptor: (target, key) => (note(key), Reflect.getOwnPropertyDescriptor(target, key)),
    // Writes go to the real object itself: through the view, assigning a variable that exists would
    // define a property with a partial descriptor, which process.env rejects.
    set: (target, key, value) => Reflect.set(target, key, value),
    deleteProperty: (target, key) => Reflect.deleteProperty(target, key),
  });
  watchedEnv = watch;
  syncBuiltinESMExports();
  try {
    return await fn();
  } finally {
    watchedEnv = undefined;
    process.env = real;
    syncBuiltinESMExports();
  }
}

/** This package's own files: what they read is dtcheck's business, not the code's. */
const OWN_FILES = dirname(dirname(fileURLToPath(import.meta.url)));

/**
 * Whether the read in progress comes from the code under test: not from Node's own modules
 * (console.log checks FORCE_COLOR and NO_COLOR to colour what it prints) nor from dtcheck.
 */
function readByCode(): boolean {
  const { prepareStackTrace, stackTraceLimit } = Error;
  const holder: { stack?: NodeJS.CallSite[] } = {};
  try {
    Error.stackTraceLimit = 12;
    Error.prepareStackTrace = (_error, sites) => sites;
    Error.captureStackTrace(holder, readByCode);
    // The first frame outside this package is the reader (the proxy's traps are in this file).
    for (const site of holder.stack ?? []) {
      const file = site.getFileName() ?? "";
      if (file === "" || file.startsWith(OWN_FILES) || file.startsWith(`file://${OWN_FILES}`)) continue;
      return !file.startsWith("node:");
    }
    return false;
  } finally {
    Error.prepareStackTrace = prepareStackTrace;
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/**
 * Starts noting the process.env variables read from now on, in the innermost seeded session, into
 * a fresh set (fuzzing starts one per world); undefined outside a session.
 */
export function watchEnvReads(): ReadonlySet<string> | undefined {
  if (!watchedEnv) return undefined;
  return (watchedEnv.reads = new Set());
}

/** The values `names` have in the real environment (not the session's view), for the set ones. */
export function settingsNow(names: Iterable<string>): Record<string, string> {
  const real = realEnv();
  const values: Record<string, string> = {};
  for (const name of names) if (real[name] !== undefined) values[name] = real[name];
  return values;
}

/** More variables read than this: the code walked the environment rather than read its settings. */
const MAX_SETTINGS_READ = 16;

/**
 * `perturbation` with every variable of `read` also changed: to a value the code compares it with
 * that it does not have, else removed when it is set and "true" when it is not. Variables the
 * perturbation sets itself, and dtcheck's own, keep the perturbation's value.
 */
export function withReadEnvChanged(
  perturbation: Perturbation,
  read: ReadonlySet<string> | undefined,
  /** Values the code compares each setting with (`=== "on"`): the replay sets one of them, so the comparison goes the other way. */
  compared: ReadonlyMap<string, readonly string[]> = new Map(),
): Perturbation {
  // Code that copies or walks the whole environment reads every name: those are not its settings,
  // and the variable the perturbation adds already shows such code up.
  if (!read || read.size === 0 || read.size > MAX_SETTINGS_READ) return perturbation;
  const env = { ...perturbation.env };
  const real = realEnv();
  for (const key of read) {
    if (key in env || key.startsWith("DTCHECK_")) continue;
    const current = real[key];
    const values = compared.get(key) ?? [];
    const other = values.find((value) => value !== current);
    // Unset: the compared value (else "true"); set: another compared value, else removed.
    env[key] = current === undefined ? (other ?? "true") : other;
  }
  return { ...perturbation, env };
}

/** Makes the globals match the innermost frame, or the originals when none is active. */
function applyTop(): void {
  const top = frames[frames.length - 1];
  const table = slots!;
  for (const [name, slot] of table) {
    if (top?.values.has(name)) setSlot(slot, top.values.get(name));
    else restoreSlot(slot);
  }
  for (const [key, original] of envOriginals) setEnv(key, top && key in top.env ? top.env[key] : original);
  syncBuiltinESMExports();
  if (!top) {
    slots = undefined;
    envOriginals.clear();
  }
}

/** What the patched clock reads: Date.now() and `new Date()`, and performance.now(). */
interface ClockReads {
  now: () => number;
  performanceNow: () => number;
}

const realPerformanceNow = performance.now.bind(performance);

/**
 * The real clock moved by `shift`, and on by `step` after every read (the first read is the
 * perturbation's time); Date and performance.now move together.
 */
function runningClock(shift: number, step: number): ClockReads {
  let offset = shift;
  const advance = () => {
    const at = offset;
    offset += step;
    return at;
  };
  return { now: () => realDateNow() + advance(), performanceNow: () => realPerformanceNow() + advance() };
}

/**
 * A clock that does not follow real time: it reads `start`, then a millisecond more at every read,
 * until `reset`. What code reads from it depends on nothing but the code (not on how fast the
 * machine is, nor on how many worlds ran before), and a loop waiting for it still ends.
 */
function logicalClock(start: number): ClockReads & { reset(clock?: LogicalClock): void } {
  let origin = start;
  let at = start;
  let step = 1;
  const perfBase = realPerformanceNow();
  const read = () => {
    const now = at;
    at += step;
    return now;
  };
  return {
    now: read,
    performanceNow: () => perfBase + (read() - origin),
    reset: (clock) => {
      origin = at = clock?.at ?? start;
      step = clock?.stepMs ?? 1;
    },
  };
}

/** Where a seeded session's clock restarts (see reseedSession), and how far each read moves it. */
export interface LogicalClock {
  at: number;
  stepMs: number;
}

/**
 * The clock drift's replays read: the second default perturbation's time and step, not the
 * generation's, as a replay after a deploy reads another time than the run that recorded the history.
 */
export const REPLAY_CLOCK: LogicalClock = { at: FUZZ_CLOCK_START + REPLAY_CLOCK_SHIFT_MS, stepMs: REPLAY_CLOCK_STEP_MS };

function frameFor(clock: ClockReads | undefined, random: () => number, env: Record<string, string | undefined>): Frame {
  const values = new Map<string, unknown>();
  // An unpatched clock needs no shim (and the Date shim costs time on hot paths).
  if (clock) {
    const RealDate = slots!.get("Date")!.value as DateConstructor;
    const now = clock.now;
    // A plain function rather than a subclass behind a Proxy: constructing through those cost ten
    // times a native `new Date(ms)`, and the SDKs build one per history event on every replay.
    const ShiftedDate = function (this: unknown, ...args: unknown[]): Date | string {
      // `Date()` called without new returns a string of the current time.
      if (new.target === undefined) return new RealDate(now()).toString();
      // A class extending Date: construct that class, on the shifted clock when it is asked for now.
      if (new.target !== ShiftedDate) return Reflect.construct(RealDate, args.length === 0 ? [now()] : args, new.target) as Date;
      if (args.length === 0) return new RealDate(now());
      if (args.length === 1) return new RealDate(args[0] as string | number | Date);
      return new RealDate(...(args as [number, number]));
    } as unknown as DateConstructor;
    // instanceof, statics (UTC, parse) and the prototype are the real Date's; only now() moves.
    Object.defineProperty(ShiftedDate, "prototype", { value: RealDate.prototype });
    Object.setPrototypeOf(ShiftedDate, RealDate);
    Object.defineProperty(ShiftedDate, "now", { value: now, writable: true, configurable: true });
    values.set("Date", ShiftedDate);
    values.set("performance.now", clock.performanceNow);
  }
  const uuid = () => fakeUuid(random);
  const fill = <V extends ArrayBufferView | null>(array: V): V => fillRandom(random, array);
  values.set("Math.random", random);
  values.set("crypto.randomUUID", uuid);
  values.set("crypto.getRandomValues", fill);
  values.set("webcrypto.randomUUID", uuid);
  values.set("webcrypto.getRandomValues", fill);
  return { values, env };
}

async function patched<T>(clock: ClockReads | undefined, random: () => number, env: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  if (frames.length === 0) slots = slotTable();
  for (const key of Object.keys(env)) if (!envOriginals.has(key)) envOriginals.set(key, realEnv()[key]);
  const frame = frameFor(clock, random, env);
  frames.push(frame);
  try {
    applyTop();
    return await fn();
  } finally {
    frames.splice(frames.lastIndexOf(frame), 1);
    applyTop();
  }
}

let lockTail: Promise<void> = Promise.resolve();

/**
 * Runs `fn` after every earlier caller's `fn` has finished. The determinism and drift checks take
 * it for their whole run, so concurrent checks (Promise.all, it.concurrent) take turns with the
 * process-wide patches instead of seeing each other's environments. Do not call it from inside `fn`.
 */
export async function withEnvironmentLock<T>(fn: () => Promise<T>): Promise<T> {
  const previous = lockTail;
  let release!: () => void;
  lockTail = new Promise<void>((resolve) => (release = resolve));
  await previous;
  try {
    return await fn();
  } finally {
    release();
  }
}

/**
 * Runs `fn` with the clock shifted, randomness reseeded and process.env changed, and always
 * restores every patched global afterwards, even when `fn` throws. Nesting is fine (the inner call
 * hands the globals back to the outer one); concurrent callers never leave a patch installed, but
 * see each other's environment while both run, so run perturbed code one at a time (the checks do).
 */
export function withPerturbation<T>(perturbation: Perturbation, fn: () => Promise<T>): Promise<T> {
  const shift = shiftOf(perturbation);
  const step = perturbation.clockStepMs ?? 0;
  return patched(shift !== 0 || step !== 0 ? runningClock(shift, step) : undefined, seededRandom(perturbation.randomSeed), perturbation.env, fn);
}

/** Reseed functions of the active seeded sessions, innermost last. */
const sessions: ((seed: number | (() => number), clock?: LogicalClock) => void)[] = [];

/**
 * Runs `fn` with Math.random and crypto's random sources patched once for its whole duration,
 * drawing from a stream that `reseedSession` restarts. Fuzzing reseeds per world, so generated
 * histories are reproducible even for code that wrongly uses randomness, without paying for
 * patching (and re-syncing builtin ESM exports) per world. The clock reads FUZZ_CLOCK_START and
 * then a millisecond more per read, from the start again at every reseed, so code that reads it
 * takes the same branches whatever hour the run happens at and however fast the machine is.
 */
export async function withSeededSession<T>(fn: () => Promise<T>): Promise<T> {
  let current = seededRandom(0);
  // The clock too: generated worlds see FUZZ_CLOCK_START's time of day, not the hour the run
  // happens at, and each world reads the same times as on any other run of the same seed.
  const clock = logicalClock(FUZZ_CLOCK_START);
  const reseed = (seed: number | (() => number), at?: LogicalClock) => {
    clock.reset(at);
    current =
      typeof seed === "number"
        ? seededRandom(seed)
        : () => {
            current = seededRandom(seed());
            return current();
          };
  };
  sessions.push(reseed);
  try {
    return await withEnvReadsWatched(() => patched(clock, () => current(), {}, fn));
  } finally {
    sessions.splice(sessions.lastIndexOf(reseed), 1);
  }
}

/**
 * Restarts the innermost seeded session's random stream and its clock (at FUZZ_CLOCK_START, a
 * millisecond per read, unless `clock` says otherwise); false when no session is active. A
 * function is asked for the seed when the stream is first drawn from, so a run that never reads
 * randomness asks nothing (fuzzing draws it from the world, which then stays the same for such code).
 */
export function reseedSession(seed: number | (() => number), clock?: LogicalClock): boolean {
  const reseed = sessions[sessions.length - 1];
  if (!reseed) return false;
  reseed(seed, clock);
  return true;
}
