/**
 * The one catalogue of non-deterministic operations. Every hazard rule reads it (through
 * analysis/hazard-matcher.ts); no rule keeps its own list.
 *
 * An orchestrator is re-run from the start after every yield and every crash, and each re-run must
 * make the same decisions. Anything whose answer can differ between the first run and a replay
 * (clock, randomness, the outside world, the process it runs in) breaks that.
 */
import type { ReplacementKey } from "./sdks.js";

export type HazardCategory = "wall-clock" | "randomness" | "io" | "timers" | "environment" | "dynamic-code";

/** Everything the shared analysis reports: catalogue hazards plus the two structural ones. */
export type FindingCategory = HazardCategory | "module-state" | "unstable-iteration";

export const HAZARD_CATEGORIES: readonly HazardCategory[] = [
  "wall-clock",
  "randomness",
  "io",
  "timers",
  "environment",
  "dynamic-code",
];

export interface Hazard {
  category: FindingCategory;
  /** How the hazard reads in a message, e.g. `Date.now()`. */
  label: string;
  /** Why it breaks replay (completes "... which <why>"). */
  why: string;
  replacement: ReplacementKey;
}

/**
 * How a global is used:
 * - `access`: any reference to the path (read, call, passed as a value), e.g. `Math.random`, `fetch`;
 * - `call-no-args` / `new-no-args`: only a call / `new` without arguments (`Date()`, `new Date()`);
 * - `call` / `new`: any call / `new` (`eval(s)`, `new Function(s)`, `new WeakRef(o)`).
 */
export type GlobalUse = "access" | "call" | "new" | "call-no-args" | "new-no-args";

export interface GlobalHazard extends Hazard {
  category: HazardCategory;
  /** Dotted path from a global, e.g. `Date.now`, `process.env`, `fetch`. */
  path: string;
  use: GlobalUse;
}

const CLOCK_WHY = "returns a different time on replay";
const RANDOM_WHY = "returns a new value on replay";
const IO_WHY = "talks to the outside world, which can answer differently (or fail) on replay";
const TIMER_WHY = "is not recorded in history, so replay neither waits for it nor fires it in the same order";
const ENV_WHY = "reads the process the orchestrator happens to run in, which can differ between workers and on replay";

/** Global objects that may prefix a path (`globalThis.fetch` is `fetch`). */
export const GLOBAL_OBJECT_NAMES: ReadonlySet<string> = new Set(["globalThis", "window", "global", "self"]);

export const GLOBAL_HAZARDS: readonly GlobalHazard[] = [
  // wall clock
  { path: "Date.now", use: "access", category: "wall-clock", label: "Date.now()", why: CLOCK_WHY, replacement: "currentTimeMs" },
  { path: "Date", use: "new-no-args", category: "wall-clock", label: "new Date()", why: CLOCK_WHY, replacement: "currentTime" },
  { path: "Date", use: "call-no-args", category: "wall-clock", label: "Date()", why: CLOCK_WHY, replacement: "currentTime" },
  { path: "performance.now", use: "access", category: "wall-clock", label: "performance.now()", why: CLOCK_WHY, replacement: "currentTimeMs" },
  { path: "performance.timeOrigin", use: "access", category: "wall-clock", label: "performance.timeOrigin", why: CLOCK_WHY, replacement: "currentTimeMs" },
  { path: "process.hrtime", use: "access", category: "wall-clock", label: "process.hrtime()", why: CLOCK_WHY, replacement: "currentTimeMs" },
  { path: "process.uptime", use: "access", category: "wall-clock", label: "process.uptime()", why: CLOCK_WHY, replacement: "currentTimeMs" },
  // randomness and ids
  { path: "Math.random", use: "access", category: "randomness", label: "Math.random()", why: RANDOM_WHY, replacement: "activity" },
  { path: "crypto.randomUUID", use: "access", category: "randomness", label: "crypto.randomUUID()", why: RANDOM_WHY, replacement: "newGuid" },
  { path: "crypto.getRandomValues", use: "access", category: "randomness", label: "crypto.getRandomValues()", why: RANDOM_WHY, replacement: "activity" },
  { path: "crypto.randomBytes", use: "access", category: "randomness", label: "crypto.randomBytes()", why: RANDOM_WHY, replacement: "activity" },
  { path: "crypto.randomInt", use: "access", category: "randomness", label: "crypto.randomInt()", why: RANDOM_WHY, replacement: "activity" },
  { path: "crypto.randomFill", use: "access", category: "randomness", label: "crypto.randomFill()", why: RANDOM_WHY, replacement: "activity" },
  { path: "crypto.randomFillSync", use: "access", category: "randomness", label: "crypto.randomFillSync()", why: RANDOM_WHY, replacement: "activity" },
  { path: "crypto.webcrypto.getRandomValues", use: "access", category: "randomness", label: "crypto.webcrypto.getRandomValues()", why: RANDOM_WHY, replacement: "activity" },
  { path: "crypto.generateKeyPair", use: "access", category: "randomness", label: "crypto.generateKeyPair()", why: RANDOM_WHY, replacement: "activity" },
  { path: "crypto.generateKeyPairSync", use: "access", category: "randomness", label: "crypto.generateKeyPairSync()", why: RANDOM_WHY, replacement: "activity" },
  // I/O globals
  { path: "fetch", use: "access", category: "io", label: "fetch()", why: IO_WHY, replacement: "activity" },
  { path: "XMLHttpRequest", use: "access", category: "io", label: "XMLHttpRequest", why: IO_WHY, replacement: "activity" },
  { path: "WebSocket", use: "access", category: "io", label: "WebSocket", why: IO_WHY, replacement: "activity" },
  { path: "EventSource", use: "access", category: "io", label: "EventSource", why: IO_WHY, replacement: "activity" },
  { path: "process.stdin", use: "access", category: "io", label: "process.stdin", why: IO_WHY, replacement: "activity" },
  // timers
  { path: "setTimeout", use: "access", category: "timers", label: "setTimeout()", why: TIMER_WHY, replacement: "timer" },
  { path: "setInterval", use: "access", category: "timers", label: "setInterval()", why: TIMER_WHY, replacement: "timer" },
  { path: "setImmediate", use: "access", category: "timers", label: "setImmediate()", why: TIMER_WHY, replacement: "timer" },
  { path: "process.nextTick", use: "access", category: "timers", label: "process.nextTick()", why: TIMER_WHY, replacement: "timer" },
  { path: "queueMicrotask", use: "access", category: "timers", label: "queueMicrotask()", why: TIMER_WHY, replacement: "timer" },
  // environment
  { path: "process.env", use: "access", category: "environment", label: "process.env", why: ENV_WHY, replacement: "input" },
  { path: "process.argv", use: "access", category: "environment", label: "process.argv", why: ENV_WHY, replacement: "input" },
  { path: "process.cwd", use: "access", category: "environment", label: "process.cwd()", why: ENV_WHY, replacement: "input" },
  { path: "process.pid", use: "access", category: "environment", label: "process.pid", why: ENV_WHY, replacement: "input" },
  { path: "process.platform", use: "access", category: "environment", label: "process.platform", why: ENV_WHY, replacement: "input" },
  { path: "process.memoryUsage", use: "access", category: "environment", label: "process.memoryUsage()", why: ENV_WHY, replacement: "input" },
  { path: "process.cpuUsage", use: "access", category: "environment", label: "process.cpuUsage()", why: ENV_WHY, replacement: "input" },
  // dynamic code and GC-observable behaviour
  { path: "eval", use: "call", category: "dynamic-code", label: "eval()", why: "runs code dtcheck cannot check, which may do anything non-deterministic", replacement: "none" },
  { path: "Function", use: "new", category: "dynamic-code", label: "new Function()", why: "runs code dtcheck cannot check, which may do anything non-deterministic", replacement: "none" },
  { path: "Function", use: "call", category: "dynamic-code", label: "Function()", why: "runs code dtcheck cannot check, which may do anything non-deterministic", replacement: "none" },
  { path: "WeakRef", use: "access", category: "dynamic-code", label: "WeakRef", why: "depends on when the garbage collector runs, which differs on replay", replacement: "none" },
  { path: "FinalizationRegistry", use: "access", category: "dynamic-code", label: "FinalizationRegistry", why: "depends on when the garbage collector runs, which differs on replay", replacement: "none" },
];

/** Syntax that is a hazard by itself (not a global or module). */
export const SYNTAX_HAZARDS = {
  dynamicImport: {
    category: "dynamic-code",
    label: "import()",
    why: "loads a module at run time, whose code (and whether it loads) can differ on replay",
    replacement: "none",
  },
  dynamicRequire: {
    category: "dynamic-code",
    label: "require() with a computed name",
    why: "loads a module chosen at run time, whose code can differ on replay",
    replacement: "none",
  },
} as const satisfies Record<string, Hazard>;

/**
 * Node builtins and packages whose exports map onto globals above: importing `randomUUID` from
 * `node:crypto` or `performance` from `node:perf_hooks` is the same hazard as the global.
 * Value: the global path an import binding stands for (`""` = named exports are globals themselves).
 */
export const GLOBAL_ALIAS_MODULES: Readonly<Record<string, string>> = {
  crypto: "crypto",
  process: "process",
  perf_hooks: "",
  timers: "",
};

/** A module whose exports are hazards. */
export interface ModuleHazard extends Hazard {
  category: HazardCategory;
  /** Module name, or a scope prefix ending in `/` (`@aws-sdk/`). Node builtins without `node:`. */
  module: string;
  /** Only these exports are hazards (default: every export, including default and namespace). */
  exports?: readonly string[];
  /** Exports that are safe even though the module is listed. */
  safeExports?: readonly string[];
}

const NODE_IO_BUILTINS = [
  "fs",
  "fs/promises",
  "http",
  "https",
  "http2",
  "net",
  "tls",
  "dgram",
  "dns",
  "dns/promises",
  "child_process",
  "worker_threads",
  "cluster",
  "readline",
  "readline/promises",
  "inspector",
];

/**
 * Client packages that do I/O. Users extend this with the `modules` option of no-io or
 * `settings.dtcheck.ioModules`. Pure libraries (lodash, date-fns, dayjs formatting, zod) are
 * deliberately absent: they compute the same answer on replay.
 */
export const DEFAULT_IO_CLIENT_MODULES: readonly string[] = [
  "axios",
  "undici",
  "got",
  "node-fetch",
  "cross-fetch",
  "isomorphic-fetch",
  "ky",
  "superagent",
  "request",
  "needle",
  "pg",
  "pg-promise",
  "postgres",
  "mysql",
  "mysql2",
  "mysql2/promise",
  "mssql",
  "tedious",
  "oracledb",
  "sqlite3",
  "better-sqlite3",
  "mongodb",
  "mongoose",
  "redis",
  "ioredis",
  "@redis/client",
  "@prisma/client",
  "sequelize",
  "typeorm",
  "knex",
  "drizzle-orm",
  "kafkajs",
  "amqplib",
  "nats",
  "ws",
  "socket.io-client",
  "nodemailer",
  "@sendgrid/mail",
  "twilio",
  "stripe",
  "openai",
  "@anthropic-ai/sdk",
  "@octokit/rest",
  "@elastic/elasticsearch",
  "firebase-admin",
  "@azure/",
  "@aws-sdk/",
  "@google-cloud/",
];

/** Scoped packages under an I/O prefix that are not I/O clients. */
const NOT_IO: readonly string[] = ["@azure/functions", "@azure/abort-controller", "@azure/core-util"];

export function isExcludedIoModule(specifier: string): boolean {
  return NOT_IO.some((m) => specifier === m || specifier.startsWith(`${m}/`));
}

const UUID_WHY = "returns a new id on replay";

export const MODULE_HAZARDS: readonly ModuleHazard[] = [
  ...NODE_IO_BUILTINS.map(
    (module): ModuleHazard => ({ module, category: "io", label: `${module}`, why: IO_WHY, replacement: "activity" }),
  ),
  ...DEFAULT_IO_CLIENT_MODULES.map(
    (module): ModuleHazard => ({ module, category: "io", label: module, why: IO_WHY, replacement: "activity" }),
  ),
  // @dapr/dapr exports both the workflow API and network clients; only the clients are I/O.
  {
    module: "@dapr/dapr",
    exports: ["DaprClient", "DaprServer", "HTTPClient", "GRPCClient", "DaprWorkflowClient", "ActorProxyBuilder"],
    category: "io",
    label: "@dapr/dapr client",
    why: IO_WHY,
    replacement: "activity",
  },
  // uuid v3/v5 are name-based (deterministic); parse/validate/stringify/NIL are pure.
  { module: "uuid", exports: ["v1", "v4", "v6", "v7", "default", "v1ToV6"], category: "randomness", label: "uuid", why: UUID_WHY, replacement: "newGuid" },
  { module: "nanoid", safeExports: ["urlAlphabet"], category: "randomness", label: "nanoid", why: UUID_WHY, replacement: "newGuid" },
  { module: "nanoid/non-secure", category: "randomness", label: "nanoid", why: UUID_WHY, replacement: "newGuid" },
  { module: "ulid", exports: ["ulid", "monotonicFactory", "factory", "default"], category: "randomness", label: "ulid", why: UUID_WHY, replacement: "newGuid" },
  { module: "ulidx", exports: ["ulid", "monotonicFactory", "factory"], category: "randomness", label: "ulid", why: UUID_WHY, replacement: "newGuid" },
  { module: "cuid", category: "randomness", label: "cuid", why: UUID_WHY, replacement: "newGuid" },
  { module: "@paralleldrive/cuid2", exports: ["createId", "init"], category: "randomness", label: "cuid2", why: UUID_WHY, replacement: "newGuid" },
  { module: "timers/promises", category: "timers", label: "timers/promises", why: TIMER_WHY, replacement: "timer" },
  { module: "os", category: "environment", label: "os", why: ENV_WHY, replacement: "input" },
  { module: "vm", category: "dynamic-code", label: "vm", why: "runs code dtcheck cannot check, which may do anything non-deterministic", replacement: "none" },
];

/** `node:fs` and `fs` are the same module. */
export function normalizeModule(specifier: string): string {
  return specifier.startsWith("node:") ? specifier.slice(5) : specifier;
}
