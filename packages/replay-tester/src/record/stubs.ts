import type { FailureDetails } from "../history/model.js";
import { InputError } from "../errors.js";

/**
 * A stub for one activity or sub-orchestration:
 * - any JSON value: the result (use `{ "result": value }` for a result that is an array or has an `error` key);
 * - `{ "error": "message" }` or `{ "error": { "type": ..., "message": ... } }`: the call fails;
 * - an array: one entry per call, in call order (the last entry repeats), e.g. a failure then a success for retries;
 * - a function (from a stubs module): called with the input; what it returns is the result, what it throws is the failure.
 */
export type Stub = unknown;

export interface RecordStubs {
  activities?: Record<string, Stub>;
  subOrchestrations?: Record<string, Stub>;
  /**
   * Entity operations the orchestrator calls (callEntity), keyed "<entity>.<operation>" with the
   * entity's name as registered (e.g. "counter.get"); matched case-insensitively, as the runtimes
   * match entity names and operations. Same stub forms as activities; a thrown or `{ "error" }` stub
   * makes the operation fail. Signals need no stub (nobody waits for them), and lock requests are
   * granted at once.
   */
  entities?: Record<string, Stub>;
  /** External events the world raises, in order: name → payload (or an array of payloads). */
  events?: Record<string, unknown>;
}

export type StubOutcome = { ok: true; result?: string } | { ok: false; failure: FailureDetails };

function failureOf(error: unknown): FailureDetails {
  if (typeof error === "string") return { errorType: "Error", errorMessage: error };
  if (error instanceof Error) return { errorType: error.name, errorMessage: error.message };
  if (error && typeof error === "object") {
    const e = error as { type?: unknown; message?: unknown };
    return { errorType: String(e.type ?? "Error"), errorMessage: String(e.message ?? "") };
  }
  return { errorType: "Error", errorMessage: String(error) };
}

/** The sections of the structured stubs form. */
export const STUB_SECTIONS = ["activities", "subOrchestrations", "entities", "events"] as const;

/** Normalises a stubs object: a flat map (activity name → stub) or { activities, subOrchestrations, entities, events }. */
export function normaliseStubs(value: unknown, source = "stubs"): RecordStubs {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new InputError(`stubs must be an object mapping activity names to results`, { file: source });
  }
  const record = value as Record<string, unknown>;
  const structured = STUB_SECTIONS.some((k) => k in record);
  if (!structured) return { activities: record };
  // A misspelt section ("activites") would otherwise be ignored and its stubs silently missing.
  const unknown = Object.keys(record).filter((k) => !(STUB_SECTIONS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw new InputError(
      `unknown stubs section${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `"${k}"`).join(", ")}; the sections are ${STUB_SECTIONS.join(", ")} (or give a flat map of activity names to results)`,
      { file: source },
    );
  }
  const out: RecordStubs = {};
  for (const key of STUB_SECTIONS) {
    const part = record[key];
    if (part === undefined) continue;
    if (typeof part !== "object" || part === null || Array.isArray(part)) {
      throw new InputError(`stubs.${key} must be an object keyed by name`, { file: source });
    }
    out[key] = part as Record<string, unknown>;
  }
  return out;
}

/** Resolves the outcome of the `attempt`-th (0-based) call of `name` from its stub. */
export async function runStub(stub: Stub, input: string | undefined, attempt: number): Promise<StubOutcome> {
  let value = stub;
  if (Array.isArray(value)) value = value.length === 0 ? undefined : value[Math.min(attempt, value.length - 1)];
  if (typeof value === "function") {
    try {
      const result: unknown = await (value as (input: unknown) => unknown)(input === undefined ? undefined : JSON.parse(input));
      return { ok: true, result: result === undefined ? undefined : JSON.stringify(result) };
    } catch (error) {
      return { ok: false, failure: failureOf(error) };
    }
  }
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    if ("error" in v) return { ok: false, failure: failureOf(v["error"]) };
    if ("result" in v && Object.keys(v).length === 1) {
      return { ok: true, result: v["result"] === undefined ? undefined : JSON.stringify(v["result"]) };
    }
  }
  return { ok: true, result: value === undefined ? undefined : JSON.stringify(value) };
}
