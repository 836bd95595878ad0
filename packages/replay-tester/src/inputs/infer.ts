import type { Arbitrary } from "fast-check";
import { moduleProgram } from "./program.js";
import { OrchestratorSource, type ResultKind, type TypedSite } from "./orchestrator-source.js";
import { TypeArbitraries } from "./type-arbitrary.js";

/** One value the world can hand the orchestrator, generated from the type the code declares for it. */
export interface InferredValue {
  arbitrary: Arbitrary<unknown>;
  /** The declared type as the code spells it, e.g. `Order` or `{ ok: boolean }`. */
  type: string;
  /** Where it was read: `parameter "order" (src/orders.ts:12)`. */
  source: string;
}

/** What the orchestrator's source says about its input and the results it receives. */
export interface InferredValues {
  orchestrator: string;
  input?: InferredValue;
  /** Results by activity name. */
  activities: Record<string, InferredValue>;
  /** Results by sub-orchestration name. */
  subOrchestrations: Record<string, InferredValue>;
  /** Payloads by external event name. */
  events: Record<string, InferredValue>;
  /** Why nothing could be read, when nothing was. */
  skipped?: string;
}

/** Which orchestrator to read: its registered name, module file and runtime function name. */
export interface OrchestratorRef {
  name: string;
  modulePath?: string;
  /** `fn.name` of the loaded function (an export may be registered under another name). */
  functionName?: string;
}

const TABLE: Record<ResultKind, "activities" | "subOrchestrations" | "events"> = {
  activity: "activities",
  subOrchestration: "subOrchestrations",
  event: "events",
};

const cache = new Map<string, Promise<InferredValues>>();

function empty(orchestrator: string, skipped?: string): InferredValues {
  return { orchestrator, activities: {}, subOrchestrations: {}, events: {}, ...(skipped ? { skipped } : {}) };
}

/**
 * Reads the orchestrator's declared types with the TypeScript compiler and turns them into
 * fast-check arbitraries: its input (durabletask-js / Dapr second parameter, Durable Functions'
 * `getInput`), and the results of the activities, sub-orchestrations and events it waits for.
 * Cached per orchestrator; the compiler is not loaded for JavaScript without JSDoc types.
 */
export function inferValues(ref: OrchestratorRef): Promise<InferredValues> {
  if (!ref.modulePath) return Promise.resolve(empty(ref.name, "no source file"));
  const key = `${ref.modulePath}\0${ref.name}\0${ref.functionName ?? ""}`;
  let cached = cache.get(key);
  if (!cached) {
    cached = infer(ref, ref.modulePath).catch((error: unknown) => empty(ref.name, `the types could not be read (${(error as Error).message})`));
    cache.set(key, cached);
  }
  return cached;
}

async function infer(ref: OrchestratorRef, modulePath: string): Promise<InferredValues> {
  const module = await moduleProgram(modulePath);
  if (!module) return empty(ref.name, "no type information (plain JavaScript without JSDoc types)");
  const source = new OrchestratorSource(module);
  const fn = source.findOrchestrator(ref.name, ref.functionName);
  if (!fn) return empty(ref.name, `its function was not found in the source of ${modulePath}`);
  const arbitraries = new TypeArbitraries(module.ts, module.checker);
  const value = (site: TypedSite): InferredValue => ({
    arbitrary: arbitraries.of(site.type),
    type: module.checker.typeToString(site.type),
    source: `${site.how} (${site.at})`,
  });
  const result = empty(ref.name);
  const input = source.inputType(fn);
  if (input && !source.uninformative(input.type)) result.input = value(input);
  for (const typed of source.resultTypes(fn)) {
    const table = result[TABLE[typed.kind]];
    // The first call site that types a name decides: later ones usually repeat it.
    table[typed.name] ??= value(typed);
  }
  return result;
}

const LABELS: Record<"input" | "activities" | "subOrchestrations" | "events", string> = {
  input: "input",
  activities: "activity",
  subOrchestrations: "sub-orchestration",
  events: "event",
};

/** One line for one inferred value, e.g. `input: Order from parameter "order" (v1.ts:27)`. */
export function describeValue(table: keyof typeof LABELS, name: string | undefined, value: InferredValue): string {
  const what = table === "input" ? "input" : `${LABELS[table]} "${name}" ${table === "events" ? "payload" : "result"}`;
  return `${what}: ${value.type} from ${value.source}`;
}

/** One line per inferred value. */
export function describeInferred(values: InferredValues): string[] {
  const lines = values.input ? [describeValue("input", undefined, values.input)] : [];
  for (const table of ["activities", "subOrchestrations", "events"] as const) {
    for (const [name, value] of Object.entries(values[table])) lines.push(describeValue(table, name, value));
  }
  return lines;
}
