import { createRequire, syncBuiltinESMExports } from "node:module";
import { performance } from "node:perf_hooks";

/**
 * One perturbed environment: what a replay on another machine, at another time, could see.
 * Deterministic orchestrator code behaves identically under any two of them; code that reads the
 * clock, randomness or the environment directly (even deep in a third-party helper) does not.
 */
export interface Perturbation {
  /** Added to Date.now(), `new Date()` and performance.now(), in milliseconds. */
  clockShiftMs: number;
  /** Seeds Math.random, crypto.randomUUID and crypto.getRandomValues. */
  randomSeed: number;
  /** Variables set (string) or removed (undefined) in process.env; TZ also changes local time. */
  env: Record<string, string | undefined>;
}

/** Two environments that differ in every respect, used by the determinism property. */
export const DEFAULT_PERTURBATIONS: readonly [Perturbation, Perturbation] = [
  { clockShiftMs: 0, randomSeed: 1, env: { TZ: "UTC", DTCHECK_PERTURBATION: "a" } },
  { clockShiftMs: 7 * 86_400_000 + 3_723_000, randomSeed: 2, env: { TZ: "Pacific/Kiritimati", DTCHECK_PERTURBATION: "b" } },
];

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

/**
 * Replaces obj[key] for the duration of a perturbation and returns how to put the original back.
 * Some builtins are accessors without a setter (node:crypto's getRandomValues), so the property is
 * redefined rather than assigned; a property that cannot be redefined is left alone.
 */
function replaceProperty(obj: object, key: string, value: unknown): (() => void) | undefined {
  const own = Object.getOwnPropertyDescriptor(obj, key);
  if (own && !own.configurable) return undefined;
  Object.defineProperty(obj, key, { value, writable: true, configurable: true, enumerable: own?.enumerable ?? false });
  return () => {
    if (own) Object.defineProperty(obj, key, own);
    else delete (obj as Record<string, unknown>)[key];
  };
}

/**
 * Runs `fn` with the clock shifted, randomness reseeded and process.env changed, and always
 * restores every patched global in `finally`, even when `fn` throws. Not re-entrant across
 * concurrent callers: the patches are process-wide, so callers run one perturbed replay at a time
 * (nesting is fine: the inner call restores the outer one's patches).
 */
export function withPerturbation<T>(perturbation: Perturbation, fn: () => Promise<T>): Promise<T> {
  return patched(perturbation.clockShiftMs, seededRandom(perturbation.randomSeed), perturbation.env, fn);
}

/** Reseed functions of the active seeded sessions, innermost last. */
const sessions: ((seed: number) => void)[] = [];

/**
 * Runs `fn` with Math.random and crypto's random sources patched once for its whole duration,
 * drawing from a stream that `reseedSession` restarts. Fuzzing reseeds per world, so generated
 * histories are reproducible even for code that wrongly uses randomness, without paying for
 * patching (and re-syncing builtin ESM exports) per world.
 */
export async function withSeededSession<T>(fn: () => Promise<T>): Promise<T> {
  let current = seededRandom(0);
  const reseed = (seed: number) => {
    current = seededRandom(seed);
  };
  sessions.push(reseed);
  try {
    return await patched(0, () => current(), {}, fn);
  } finally {
    sessions.pop();
  }
}
/** Restarts the innermost seeded session's random stream; false when no session is active. */
export function reseedSession(seed: number): boolean {
  const reseed = sessions[sessions.length - 1];
  if (!reseed) return false;
  reseed(seed);
  return true;
}

async function patched<T>(shift: number, random: () => number, env: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const RealDate = globalThis.Date;
  const realPerformanceNow = performance.now.bind(performance);
  const realNow = RealDate.now.bind(RealDate);
  class ShiftedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(realNow() + shift);
      else super(...(args as [string | number | Date]));
    }
    static override now(): number {
      return realNow() + shift;
    }
  }
  // `Date()` called without new returns a string of the current time; keep that working too.
  const DateShim = new Proxy(ShiftedDate, {
    apply: () => new RealDate(realNow() + shift).toString(),
  });
  const uuid = () => fakeUuid(random);
  const fill = <V extends ArrayBufferView | null>(array: V): V => fillRandom(random, array);

  const restores: (() => void)[] = [];
  const savedEnv = new Map<string, string | undefined>();
  try {
    const replacements: [object, string, unknown][] = [
      // An unshifted clock needs no patch (and the Date shim costs time on hot paths).
      ...(shift === 0 ? [] : ([[globalThis, "Date", DateShim], [performance, "now", () => realPerformanceNow() + shift]] as [object, string, unknown][])),
      [Math, "random", random],
      [nodeCrypto, "randomUUID", uuid],
      [nodeCrypto, "getRandomValues", fill],
      [globalThis.crypto, "randomUUID", uuid],
      [globalThis.crypto, "getRandomValues", fill],
    ];
    for (const [obj, key, value] of replacements) {
      const restore = replaceProperty(obj, key, value);
      if (restore) restores.push(restore);
    }
    syncBuiltinESMExports();
    for (const [key, value] of Object.entries(env)) {
      savedEnv.set(key, process.env[key]);
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    return await fn();
  } finally {
    for (const restore of restores.reverse()) restore();
    syncBuiltinESMExports();
    for (const [key, value] of savedEnv) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
