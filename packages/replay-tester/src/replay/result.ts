import type { FailureDetails, OrchestrationStatus } from "../history/model.js";
import type { DurableCall, SdkKind } from "../engines/engine.js";

/**
 * Why a replay diverged:
 * - sdk rejections and dtcheck's equivalent check: `missing` (history has a call the code no longer
 *   makes at that id), `wrong-kind`, `wrong-name`, `early` (the code makes that call, but only after
 *   an event the history delivers later: an order the code cannot produce);
 * - `orchestrator-failed`: the code threw where the history went on;
 * - strict only: `input`, `fire-at`, `extra` (code makes calls the history never recorded),
 *   `status`, `output`.
 */
export type DivergenceReason =
  | "missing"
  | "wrong-kind"
  | "wrong-name"
  | "early"
  | "orchestrator-failed"
  | "input"
  | "fire-at"
  | "extra"
  | "status"
  | "output";

export interface Divergence {
  reason: DivergenceReason;
  /** 0-based episode (orchestrator invocation) in which the history recorded the expected event. */
  episode: number;
  /** Index into History.events of the expected event (or where the produced call would have been written). */
  eventIndex: number;
  /** The call the history recorded (undefined for `extra`). */
  expected?: DurableCall;
  /** The call the code made instead, with its source location when known (undefined for `missing`). */
  produced?: DurableCall;
  /** One-line explanation. */
  message: string;
  /**
   * The runtime check's message: the SDK's own NonDeterminismError for durabletask-js and Dapr, or
   * dtcheck's DTFx-equivalent check for Durable Functions (whose JS side checks nothing).
   */
  sdkMessage?: string;
  /** Set when the expected event was reconstructed by a lossy format: the conclusion rests on a guess. */
  reconstructed?: string;
}

export type ReplayStatus = "ok" | "diverged" | "failed" | "load-error";

export interface ReplayResult {
  status: ReplayStatus;
  /** The history file, when replayed from a file. */
  file?: string;
  orchestrator?: string;
  sdk?: SdkKind;
  events: number;
  episodes: number;
  divergence?: Divergence;
  /** How the orchestrator code ended after replaying the whole history. */
  orchestration?: { status: OrchestrationStatus; output?: string; failure?: FailureDetails; customStatus?: string };
  /** Events the reader rebuilt because the format does not hold them (df-http): every verdict on this history rests on those guesses. */
  rebuilt?: number;
  /** For `failed` and `load-error`: what went wrong, one line. */
  error?: string;
  durationMs: number;
}

export interface ReplaySummary {
  results: ReplayResult[];
  ok: number;
  diverged: number;
  failed: number;
  loadErrors: number;
  /** True when failFast stopped the batch before every history ran. */
  stoppedEarly: boolean;
  durationMs: number;
}
