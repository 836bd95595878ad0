import fc, { type Arbitrary } from "fast-check";
import { checkKnownKeys, InputError } from "../errors.js";

/**
 * The `fuzz` section of dtcheck.config.{ts,js}: fast-check arbitraries for the values the world
 * hands the orchestrator. Anything not listed gets a small JSON value.
 */
export interface FuzzConfig {
  /** The orchestration input of every orchestrator: an arbitrary, or a fixed JSON value. Default: generated from the input's declared type. */
  input?: Arbitrary<unknown> | unknown;
  /** The input of one orchestrator, by name (an arbitrary or a fixed JSON value); wins over `input`. */
  inputs?: Record<string, Arbitrary<unknown> | unknown>;
  /** Result of each activity, by name. */
  activities?: Record<string, Arbitrary<unknown>>;
  /** Result of each sub-orchestration, by name. */
  subOrchestrations?: Record<string, Arbitrary<unknown>>;
  /**
   * Result of each entity operation an orchestrator calls, by "<entity>.<operation>" (e.g.
   * "counter.get", case-insensitive). Signals need no answer and locks are always granted.
   */
  entities?: Record<string, Arbitrary<unknown>>;
  /** Payload of each external event, by name. The world raises these (and any event the code waits for). */
  events?: Record<string, Arbitrary<unknown>>;
  /** Percentage (0-100) of activity, sub-orchestration and entity-call attempts that fail. Default 10. */
  failurePercent?: number;
  /** Allow the world to suspend/resume and terminate the orchestration. Default true, except for Durable Functions, whose host handles them. */
  lifecycle?: boolean;
  /** Continue-as-new generations to follow. Default 3. */
  maxGenerations?: number;
  /** Invocations per generation before the world leaves the orchestration in flight. Default 60. */
  maxEpisodes?: number;
}

/** Every setting of FuzzConfig, for the check that rejects the others. */
export const FUZZ_SETTINGS = [
  "input",
  "inputs",
  "activities",
  "subOrchestrations",
  "entities",
  "events",
  "failurePercent",
  "lifecycle",
  "maxGenerations",
  "maxEpisodes",
] as const satisfies readonly (keyof FuzzConfig)[];

/** Values nobody configured: small JSON, so user code that inspects results still mostly runs. */
export const DEFAULT_VALUE: Arbitrary<unknown> = fc.jsonValue({ maxDepth: 2 });

/**
 * Whether a value is a fast-check arbitrary. Duck-typed: the user's config may import its own copy
 * of fast-check, whose Arbitrary class is not ours.
 */
export function isArbitrary(value: unknown): value is Arbitrary<unknown> {
  if (value === null || typeof value !== "object") return false;
  const v = value as Record<string, unknown>;
  return typeof v["generate"] === "function" && typeof v["shrink"] === "function" && typeof v["canShrinkWithoutContext"] === "function";
}

function checkTable(table: unknown, key: string, file: string | undefined): void {
  if (table === undefined) return;
  if (table === null || typeof table !== "object" || Array.isArray(table)) {
    throw new InputError(`fuzz.${key} must map names to fast-check arbitraries, e.g. { ${key}: { name: fc.integer() } }`, { file });
  }
  for (const [name, arb] of Object.entries(table)) {
    if (!isArbitrary(arb)) {
      throw new InputError(`fuzz.${key}.${name} is not a fast-check arbitrary (got ${typeof arb}); use e.g. fc.integer() or fc.constant(value)`, { file });
    }
  }
}

/** A fixed input must survive the trip through the history as JSON text. */
function jsonProblem(value: unknown): string | undefined {
  if (typeof value === "function") return "is a function";
  try {
    if (value !== undefined && JSON.stringify(value) === undefined) return `is not JSON (${typeof value})`;
  } catch (error) {
    return `is not JSON (${(error as Error).message})`;
  }
  return undefined;
}

function checkInputs(table: unknown, file: string | undefined): void {
  if (table === undefined) return;
  if (table === null || typeof table !== "object" || Array.isArray(table)) {
    throw new InputError('fuzz.inputs must map orchestrator names to inputs, e.g. { inputs: { processOrder: { id: 1 } } } or { processOrder: fc.record({ id: fc.nat() }) }', { file });
  }
  for (const [name, input] of Object.entries(table)) {
    const problem = isArbitrary(input) ? undefined : jsonProblem(input);
    if (problem) throw new InputError(`fuzz.inputs.${name} ${problem}; give a JSON value or a fast-check arbitrary`, { file });
  }
}

/** Validates the `fuzz` section read from a config file; the message names the file and the bad key. */
export function readFuzzConfig(value: unknown, file?: string): FuzzConfig {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new InputError("fuzz must be an object: { input, inputs, activities, subOrchestrations, entities, events }", { file });
  }
  const config = value as Record<string, unknown>;
  checkKnownKeys(config, FUZZ_SETTINGS, "the fuzz section", file);
  checkInputs(config["inputs"], file);
  checkTable(config["activities"], "activities", file);
  checkTable(config["subOrchestrations"], "subOrchestrations", file);
  checkTable(config["events"], "events", file);
  checkTable(config["entities"], "entities", file);
  for (const key of Object.keys((config["entities"] as object | undefined) ?? {})) {
    if (!/^[^.]+\..+$/.test(key)) {
      throw new InputError(`fuzz.entities key "${key}" must name an entity operation as "<entity>.<operation>", e.g. "counter.get"`, { file });
    }
  }
  const percent = config["failurePercent"];
  if (percent !== undefined && (typeof percent !== "number" || !(percent >= 0 && percent <= 100))) {
    throw new InputError(`fuzz.failurePercent must be a number from 0 to 100, got ${JSON.stringify(percent)}`, { file });
  }
  for (const key of ["maxGenerations", "maxEpisodes"]) {
    const n = config[key];
    if (n !== undefined && (typeof n !== "number" || !Number.isInteger(n) || n < 1)) {
      throw new InputError(`fuzz.${key} must be a positive integer, got ${JSON.stringify(n)}`, { file });
    }
  }
  return config as FuzzConfig;
}

/** An input as an arbitrary (a plain value is used as is). */
export function asArbitrary(input: unknown): Arbitrary<unknown> {
  return isArbitrary(input) ? input : fc.constant(input);
}

/** The orchestration input as an arbitrary (a plain value is used as is). */
export function inputArbitrary(config: FuzzConfig): Arbitrary<unknown> {
  return asArbitrary(config.input);
}

/** Inputs given on the command line: one for every orchestrator, and inputs by orchestrator name. */
export interface InputOverrides {
  input?: unknown;
  inputs: Record<string, unknown>;
}

/**
 * Flags win over the config: an unnamed input replaces fuzz.input and fuzz.inputs for every
 * orchestrator; a named one replaces that orchestrator's entry.
 */
export function applyInputOverrides(config: FuzzConfig, overrides: InputOverrides | undefined): FuzzConfig {
  if (!overrides) return config;
  const named = Object.keys(overrides.inputs).length > 0;
  if (overrides.input === undefined && !named) return config;
  if (overrides.input !== undefined) return { ...config, input: overrides.input, inputs: overrides.inputs };
  return { ...config, inputs: { ...config.inputs, ...overrides.inputs } };
}
