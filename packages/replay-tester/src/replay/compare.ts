import type { DurableCall } from "../engines/engine.js";
import type { DivergenceReason } from "./result.js";
import { entityRequestEssence } from "../engines/durable-functions/entity-request.js";

/** Both sides are Durable Functions entity request messages (EventSent to an entity). */
function isEntityRequest(expected: DurableCall, produced: DurableCall): boolean {
  return produced.entity !== undefined && entityRequestEssence(expected.input) !== undefined && entityRequestEssence(produced.input) !== undefined;
}

/** JSON texts are equal when they parse to the same value (whitespace and key spacing aside). */
export function sameJson(a: string | undefined, b: string | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  try {
    return canonical(JSON.parse(a)) === canonical(JSON.parse(b));
  } catch {
    return false;
  }
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function sameName(a: string | undefined, b: string | undefined, caseInsensitive: boolean): boolean {
  if (caseInsensitive) return (a ?? "").toLowerCase() === (b ?? "").toLowerCase();
  return (a ?? "") === (b ?? "");
}

/**
 * Compares a call the history recorded with the call the code made at the same sequence id, the
 * way the runtime does (kind, then name), and with `strict` also inputs and timer fire times.
 * Returns undefined when they match.
 */
export function compareCall(
  expected: DurableCall,
  produced: DurableCall | undefined,
  options: { strict: boolean; caseInsensitive: boolean },
): DivergenceReason | undefined {
  if (!produced) return "missing";
  if (produced.kind !== expected.kind) return "wrong-kind";
  if (expected.kind !== "timer" && !sameName(expected.name, produced.name, options.caseInsensitive)) return "wrong-name";
  if (!options.strict) return undefined;
  if (expected.kind === "timer") {
    if (expected.fireAt && produced.fireAt && Date.parse(expected.fireAt) !== Date.parse(produced.fireAt)) return "fire-at";
    return undefined;
  }
  if (expected.kind === "sendEvent" && isEntityRequest(expected, produced)) {
    // Durable Functions entity messages: the request's id, parent and timestamps are the host's own.
    return entityRequestEssence(expected.input) === entityRequestEssence(produced.input) ? undefined : "input";
  }
  if (!sameJson(expected.input, produced.input)) return "input";
  return undefined;
}
