/**
 * `--redact`: replaces payloads (inputs, results, failure messages and stacks, event data) with
 * keyed hashes, keeping what replay compares: event kinds, names, ids, order, timestamps, versions,
 * error types. Inside a JSON payload only strings are hashed; object keys, array lengths, numbers,
 * booleans and null stay, so code that branches on the shape of its input still takes the same
 * path. Equal strings get equal hashes within one pull (the key is per run unless given), and a
 * hash cannot be reversed by guessing short values without the key.
 */
import { createHmac, randomBytes } from "node:crypto";
import type { FailureDetails, History, HistoryEvent } from "../history/model.js";

export interface Redactor {
  /** A JSON value with every string hashed. */
  value(value: unknown): unknown;
  /** A payload as the model holds it: JSON text (redacted inside), or text that is not JSON (hashed whole). */
  text(text: string | undefined): string | undefined;
  history(history: History): History;
}

export const REDACTED_PREFIX = "redacted:";

export function createRedactor(key: Buffer | string = randomBytes(32)): Redactor {
  const hash = (text: string) => REDACTED_PREFIX + createHmac("sha256", key).update(text).digest("hex").slice(0, 16);
  const value = (v: unknown): unknown => {
    if (typeof v === "string") return hash(v);
    if (Array.isArray(v)) return v.map(value);
    if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, value(inner)]));
    return v;
  };
  const text = (t: string | undefined): string | undefined => {
    if (t === undefined || t === "") return t;
    let parsed: unknown;
    try {
      parsed = JSON.parse(t);
    } catch {
      return hash(t); // a bare string input ("World"): stays a bare string
    }
    return JSON.stringify(value(parsed));
  };
  const failure = (f: FailureDetails): FailureDetails => ({
    ...f,
    errorMessage: f.errorMessage === "" ? "" : hash(f.errorMessage),
    stackTrace: f.stackTrace === undefined ? undefined : hash(f.stackTrace),
    innerFailure: f.innerFailure && failure(f.innerFailure),
  });
  const event = (e: HistoryEvent): HistoryEvent => {
    switch (e.kind) {
      case "executionStarted":
        return { ...e, input: text(e.input), tags: e.tags && (value(e.tags) as Record<string, string>) };
      case "executionCompleted":
        return { ...e, result: text(e.result), failure: e.failure && failure(e.failure) };
      case "taskScheduled":
        return { ...e, input: text(e.input), tags: e.tags && (value(e.tags) as Record<string, string>) };
      case "taskCompleted":
      case "subOrchestrationInstanceCompleted":
        return { ...e, result: text(e.result) };
      case "taskFailed":
      case "subOrchestrationInstanceFailed":
        return { ...e, failure: failure(e.failure) };
      case "executionTerminated":
      case "executionSuspended":
      case "executionResumed":
      case "continueAsNew":
      case "subOrchestrationInstanceCreated":
      case "eventSent":
      case "eventRaised":
        return { ...e, input: text(e.input) };
      case "genericEvent":
        return { ...e, data: text(e.data) };
      case "executionRewound":
        return { ...e, reason: e.reason === undefined ? undefined : hash(e.reason) };
      case "orchestratorStarted":
      case "orchestratorCompleted":
      case "timerCreated":
      case "timerFired":
      case "historyState":
        return e;
      default:
        return { ...e, payload: entityPayload(e.payload) };
    }
  };
  /** Entity events keep their proto3-JSON fields: operation names, request ids and targets stay, payloads go. */
  const entityPayload = (payload: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...payload };
    for (const field of ["input", "output"]) if (typeof out[field] === "string") out[field] = text(out[field] as string);
    const details = out.failureDetails;
    if (typeof details === "object" && details !== null) {
      const d = { ...(details as Record<string, unknown>) };
      for (const field of ["errorMessage", "stackTrace"]) if (typeof d[field] === "string") d[field] = hash(d[field] as string);
      out.failureDetails = d;
    }
    return out;
  };
  return { value, text, history: (h) => ({ ...h, events: h.events.map(event) }) };
}
