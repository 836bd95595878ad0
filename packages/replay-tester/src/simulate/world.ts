import type { FailureDetails, HistoryEvent } from "../history/model.js";
import type { DurableCall } from "../engines/engine.js";

/** What can happen to an orchestration between two of its invocations. */
export type WorldEvent =
  /** An activity or sub-orchestration (by its task id) returned; result is JSON text. */
  | { type: "complete"; id: number; result?: string }
  /** An activity or sub-orchestration (by its task id) failed. */
  | { type: "fail"; id: number; failure: FailureDetails }
  /** A timer (by its task id) fired. */
  | { type: "fireTimer"; id: number }
  /** An external event arrived. */
  | { type: "raiseEvent"; name: string; input?: string }
  | { type: "suspend"; reason?: string }
  | { type: "resume"; reason?: string }
  | { type: "terminate"; output?: string };

/** One step of the world: the events delivered together in the next invocation (one episode). */
export interface WorldStep {
  events: WorldEvent[];
  /** How far the simulated clock moves before this episode (default 1 s; timers move it to their fireAt at least). */
  advanceMs?: number;
}

/** What the world can see when it decides the next step. */
export interface SimulationState {
  /** Durable tasks scheduled and not yet completed (activities, sub-orchestrations, timers), by id. */
  pending: readonly DurableCall[];
  /** The history so far. */
  events: readonly HistoryEvent[];
  /** Simulated time of the last invocation. */
  now: Date;
  /** How many episodes have run. */
  episode: number;
  /** Whether the orchestration is suspended. */
  suspended: boolean;
}

/**
 * Decides everything the runtime and the outside world do: which pending task completes (and with
 * what), in which order and batches, when timers fire, which events arrive, suspend/resume/terminate.
 * Returning no events (or undefined) ends the simulation with the orchestration still in flight.
 * A fast-check generator implements this to explore worlds; `record` implements it from stubs.
 */
export interface World {
  next(state: SimulationState): WorldStep | undefined | Promise<WorldStep | undefined>;
}
