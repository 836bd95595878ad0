import type { Arbitrary } from "fast-check";
import type { DurableCall } from "../engines/engine.js";
import type { FailureDetails, HistoryEvent } from "../history/model.js";
import type { SimulationState, World, WorldEvent, WorldStep } from "../simulate/world.js";
import type { Choices } from "./choices.js";
import { DEFAULT_VALUE, type FuzzConfig } from "./config.js";
import { entityOperationKey, findEntityKey } from "../simulate/entity-key.js";

/** What the world can do next; the order is the shrink order (earlier = simpler). */
type Move = "complete" | "fireTimer" | "raiseEvent" | "resume" | "suspend" | "terminate";

/** Relative weights of the moves when several are possible. */
const WEIGHTS: Record<Move, number> = { complete: 60, fireTimer: 20, raiseEvent: 15, resume: 60, suspend: 3, terminate: 2 };
/** At most this many completions are delivered together in one episode. */
const MAX_BATCH = 4;
const FAILURE_TYPES = ["Error", "TimeoutError", "TransientError"] as const;
/** How every task failure the world injects begins: an orchestration failing with it let one propagate. */
export const INJECTED_FAILURE = "fuzzed failure of";

function encode(value: unknown): string | undefined {
  return value === undefined ? undefined : JSON.stringify(value);
}

/**
 * The world a fuzzed orchestration lives in: at each step it decides, through fast-check draws,
 * which pending tasks complete (successfully with a value from their arbitrary, or failing, after
 * which the SDK applies the call's own retry policy), in which order and how many per episode,
 * whether an external event arrives before or after the next timer, and whether the instance is
 * suspended, resumed or terminated. Only valid histories can result: timers fire in fireAt order,
 * completions refer to pending tasks, and the clock never passes a pending timer.
 */
export class FuzzWorld implements World {
  /**
   * The history as simulate last showed it (its live array): if the orchestrator then fails to
   * replay its own history, this holds that history up to the episode that failed.
   */
  lastEvents: readonly HistoryEvent[] = [];

  constructor(
    private readonly choices: Choices,
    private readonly config: FuzzConfig,
    /** Event names the code was seen waiting for (filled in while the orchestrator runs). */
    private readonly discoveredEvents: ReadonlySet<string>,
    private readonly lifecycle: boolean,
  ) {}

  next(state: SimulationState): WorldStep | undefined {
    this.lastEvents = state.events;
    if (state.episode >= (this.config.maxEpisodes ?? 60)) return undefined;
    // Entity calls and lock requests (call.entity) await a response like activities do.
    const tasks = state.pending.filter((c) => c.kind === "activity" || c.kind === "subOrchestration" || c.entity).sort((a, b) => a.id - b.id);
    const timers = state.pending
      .filter((c) => c.kind === "timer")
      .sort((a, b) => Date.parse(a.fireAt ?? "") - Date.parse(b.fireAt ?? "") || a.id - b.id);
    const events = this.eventNames();

    const moves: Move[] = [];
    if (state.suspended) moves.push("resume");
    if (tasks.length > 0) moves.push("complete");
    if (timers.length > 0 && !state.suspended) moves.push("fireTimer");
    if (events.length > 0) moves.push("raiseEvent");
    if (this.lifecycle && !state.suspended && state.episode > 0) moves.push("suspend");
    if (this.lifecycle && state.episode > 0) moves.push("terminate");
    const move = this.weighted(moves);
    if (move === undefined) return undefined;

    // The clock advances a little per episode but never past the next timer, which has not fired.
    const nextTimer = timers[0]?.fireAt ? Date.parse(timers[0].fireAt) : undefined;
    const advanceMs = nextTimer === undefined ? 1000 : Math.max(0, Math.min(1000, nextTimer - state.now.getTime()));

    switch (move) {
      case "complete":
        return { events: this.completions(tasks), advanceMs };
      case "fireTimer":
        return { events: [{ type: "fireTimer", id: timers[0]!.id }], advanceMs: 0 };
      case "raiseEvent": {
        const name = events[this.choices.pick(events.length)]!;
        const payload = this.choices.value(this.config.events?.[name] ?? DEFAULT_VALUE);
        return { events: [{ type: "raiseEvent", name, input: encode(payload) }], advanceMs };
      }
      case "resume":
        return { events: [{ type: "resume" }], advanceMs };
      case "suspend":
        return { events: [{ type: "suspend" }], advanceMs };
      case "terminate":
        return { events: [{ type: "terminate", output: encode("terminated by dtcheck fuzz") }], advanceMs };
    }
  }

  /** Configured event names first (stable order), then the ones discovered in the code. */
  private eventNames(): string[] {
    const names = Object.keys(this.config.events ?? {});
    for (const name of this.discoveredEvents) if (!names.some((n) => n.toLowerCase() === name.toLowerCase())) names.push(name);
    return names;
  }

  private weighted(moves: Move[]): Move | undefined {
    if (moves.length <= 1) return moves[0];
    const total = moves.reduce((sum, m) => sum + WEIGHTS[m], 0);
    let draw = this.choices.pick(total);
    for (const move of moves) {
      draw -= WEIGHTS[move];
      if (draw < 0) return move;
    }
    return moves[moves.length - 1];
  }

  /** One to MAX_BATCH pending tasks, in a drawn order, each succeeding or failing (locks are always granted). */
  private completions(tasks: DurableCall[]): WorldEvent[] {
    const remaining = [...tasks];
    const count = 1 + this.choices.pick(Math.min(remaining.length, MAX_BATCH));
    const failurePercent = this.config.failurePercent ?? 10;
    const events: WorldEvent[] = [];
    for (let i = 0; i < count; i++) {
      const [call] = remaining.splice(this.choices.pick(remaining.length), 1);
      if (!call) break;
      // A lock is granted once its entities are free: it has no value and cannot fail.
      if (call.entity?.type === "lock") {
        events.push({ type: "complete", id: call.id });
        continue;
      }
      // A draw of 0 (what shrinking aims for) is a success.
      if (this.choices.pick(100) >= 100 - failurePercent) {
        const failure: FailureDetails = {
          errorType: FAILURE_TYPES[this.choices.pick(FAILURE_TYPES.length)]!,
          errorMessage: `${INJECTED_FAILURE} ${call.entity ? entityOperationKey(call.entity) : (call.name ?? "task")}`,
        };
        events.push({ type: "fail", id: call.id, failure });
      } else {
        events.push({ type: "complete", id: call.id, result: encode(this.choices.value(this.valueFor(call))) });
      }
    }
    return events;
  }

  private valueFor(call: DurableCall): Arbitrary<unknown> {
    if (call.entity) {
      const key = findEntityKey(this.config.entities, entityOperationKey(call.entity));
      return (key !== undefined ? this.config.entities?.[key] : undefined) ?? DEFAULT_VALUE;
    }
    const table = call.kind === "activity" ? this.config.activities : this.config.subOrchestrations;
    return (call.name !== undefined ? table?.[call.name] : undefined) ?? DEFAULT_VALUE;
  }
}
