import type { History, HistoryEvent } from "../history/model.js";
import type { CallSiteSink, DurableCall, EpisodeRun, OrchestratorTarget } from "../engines/engine.js";
import { engineFor } from "../engines/index.js";
import { InputError } from "../errors.js";
import { entityResponse } from "./entity-response.js";
import type { SimulationState, World, WorldEvent } from "./world.js";

export interface SimulateOptions {
  /** The orchestration input as a JSON value (serialised) or undefined. */
  input?: unknown;
  instanceId?: string;
  /** Stamped into ExecutionStarted.version. */
  version?: string;
  /** Simulated start time (default 2024-01-01T00:00:00Z, so histories are reproducible). */
  startTime?: Date;
  /** Safety limit on invocations (default 10,000). */
  maxEpisodes?: number;
  /** Records the call sites the invocations reach (coverage). */
  coverage?: CallSiteSink;
  /**
   * Drive the orchestration as one execution where the engine can (Engine.openSession) instead of
   * one replay per episode: the same actions for deterministic code, at a fraction of the cost. A
   * history generated so must then be judged by real replays; it is not checked while it is made.
   */
  oneExecution?: boolean;
}

export interface Simulation {
  history: History;
  /** How the orchestration ended ("running" when the world stopped first). */
  status: EpisodeRun["status"];
  output?: string;
  episodes: number;
  /**
   * The actions each episode returned (its invocation, or its step of one execution), in the
   * episodes a replay of the history splits it into, so a perturbed replay can be compared with
   * them instead of being run twice.
   */
  episodeActions: DurableCall[][];
  /**
   * When the orchestration continued as new: the next generation's input (JSON text). The runtime
   * starts a fresh history for it; call simulate again with it to follow the generations.
   */
  continuedWith?: string;
}

/** Where a simulation's history starts unless told otherwise: a fixed time, so recordings are reproducible. */
export const DEFAULT_START = new Date("2024-01-01T00:00:00.000Z");

/**
 * The history's own clock is the simulation's, never the perturbed one the code under test reads
 * (fuzzing patches the global Date while worlds run): taken before any patch, and cheaper to
 * construct than the patch's shim.
 */
const NativeDate = Date;

/** The history events that record one action the orchestrator returned. */
function outputEvents(action: DurableCall, at: string): HistoryEvent[] {
  switch (action.kind) {
    case "activity":
      return [{ kind: "taskScheduled", eventId: action.id, timestamp: at, name: action.name ?? "", input: action.input }];
    case "timer":
      return [{ kind: "timerCreated", eventId: action.id, timestamp: at, fireAt: action.fireAt ?? at }];
    case "subOrchestration":
      return [
        {
          kind: "subOrchestrationInstanceCreated",
          eventId: action.id,
          timestamp: at,
          name: action.name ?? "",
          instanceId: action.instanceId ?? `${action.id}`,
          input: action.input,
        },
      ];
    case "sendEvent":
      return [
        { kind: "eventSent", eventId: action.id, timestamp: at, name: action.name ?? "", instanceId: action.instanceId ?? "", input: action.input },
      ];
    case "entity": {
      // durabletask-js: the runtime records each entity message as its own event (entityOperationCalled, ...).
      const event = action.entity?.event;
      return event ? [{ kind: event.kind, eventId: action.id, timestamp: at, payload: event.payload }] : [];
    }
    case "completion": {
      // Stack traces hold machine paths (and tsx's per-load namespaces): leave them out so the same
      // world always records the same history.
      const failure = action.failure && { errorType: action.failure.errorType, errorMessage: action.failure.errorMessage };
      return [{ kind: "executionCompleted", eventId: -1, timestamp: at, status: action.status ?? "completed", result: action.output, failure }];
    }
    default:
      return [];
  }
}

/**
 * Runs an orchestrator forward with its SDK's own executor, one invocation per episode exactly as
 * the runtime does (each invocation replays the history so far, then processes the new events),
 * or with `oneExecution` as one execution on the executor's context, asking the world what happens
 * to the pending tasks. Returns a valid canonical history.
 */
export async function simulate(target: OrchestratorTarget, world: World, options: SimulateOptions = {}): Promise<Simulation> {
  const engine = engineFor(target.sdk);
  let clock = (options.startTime ?? DEFAULT_START).getTime();
  // Every event of an episode carries the same time: format it once per clock value.
  let isoClock = NaN;
  let isoText = "";
  const iso = () => {
    if (clock !== isoClock) {
      isoClock = clock;
      isoText = new NativeDate(clock).toISOString();
    }
    return isoText;
  };
  const events: HistoryEvent[] = [
    { kind: "orchestratorStarted", eventId: -1, timestamp: iso() },
    {
      kind: "executionStarted",
      eventId: -1,
      timestamp: iso(),
      name: target.name,
      instanceId: options.instanceId ?? "dtcheck-instance",
      input: options.input === undefined ? undefined : JSON.stringify(options.input),
      version: options.version,
    },
  ];
  const pending = new Map<number, DurableCall>();
  const maxEpisodes = options.maxEpisodes ?? 10_000;
  let suspended = false;
  let newIndices = [0, 1];
  let oldCount = 0;
  let run: EpisodeRun | undefined;
  let episode = 0;
  const episodeActions: DurableCall[][] = [];
  let session = options.oneExecution ? engine.openSession?.(target, { coverage: options.coverage }) : undefined;

  for (;;) {
    const input = { events, oldCount, newIndices };
    run = session && (await session.step(input));
    if (!run) {
      // From here on (or from the start), one replay per episode.
      session = undefined;
      run = await engine.runEpisode(target, input, { reuseConverted: true, coverage: options.coverage });
    }
    episode++;
    episodeActions.push(run.actions);
    if (run.nonDeterminism) {
      // Episodes are numbered from 0 in every message, as in the replay's divergences.
      throw new Error(`the orchestrator is not deterministic: replaying its own history failed in episode ${episode - 1}: ${run.nonDeterminism.message}`);
    }
    const at = iso();
    const actions = [...run.actions].sort((a, b) => (a.kind === "completion" ? 1 : b.kind === "completion" ? -1 : a.id - b.id));
    for (const action of actions) {
      events.push(...outputEvents(action, at));
      if (awaitsResponse(action)) pending.set(action.id, action);
    }
    events.push({ kind: "orchestratorCompleted", eventId: -1, timestamp: at });
    if (run.status !== "running") break;
    if (episode >= maxEpisodes) throw new InputError(`the simulation did not finish within ${maxEpisodes} episodes; the orchestrator may loop forever`);

    const state: SimulationState = { pending: [...pending.values()], events, now: new NativeDate(clock), episode, suspended };
    const step = await world.next(state);
    if (!step || step.events.length === 0) break;
    clock += step.advanceMs ?? 1000;
    for (const e of step.events) {
      if (e.type === "fireTimer") {
        const timer = pending.get(e.id);
        if (timer?.fireAt) clock = Math.max(clock, Date.parse(timer.fireAt));
      }
    }
    oldCount = events.length;
    events.push({ kind: "orchestratorStarted", eventId: -1, timestamp: iso() });
    for (const e of step.events) {
      events.push(deliveredEvent(e, pending, iso()));
      if (e.type === "suspend") suspended = true;
      if (e.type === "resume") suspended = false;
    }
    newIndices = [];
    for (let i = oldCount; i < events.length; i++) newIndices.push(i);
  }
  const simulation: Simulation = { history: { events }, status: run.status, output: run.output, episodes: episode, episodeActions };
  if (run.status === "continuedAsNew") simulation.continuedWith = run.output;
  return simulation;
}

/** Calls the orchestrator waits on: activities, timers, sub-orchestrations, entity calls and lock requests. */
function awaitsResponse(call: DurableCall): boolean {
  if (call.kind === "activity" || call.kind === "timer" || call.kind === "subOrchestration") return true;
  return call.entity?.type === "call" || call.entity?.type === "lock";
}

function deliveredEvent(e: WorldEvent, pending: Map<number, DurableCall>, at: string): HistoryEvent {
  // Entity calls and lock requests (call.entity) complete like activities.
  const task = (id: number, expect: DurableCall["kind"][]): DurableCall => {
    const call = pending.get(id);
    if (!call || !(expect.includes(call.kind) || call.entity)) {
      throw new InputError(`the world completed task ${id}, but no pending ${expect.join(" or ")} has that id`);
    }
    pending.delete(id);
    return call;
  };
  switch (e.type) {
    case "complete": {
      const call = task(e.id, ["activity", "subOrchestration"]);
      if (call.entity) return entityResponse(call, { ok: true, result: e.result }, at);
      return call.kind === "activity"
        ? { kind: "taskCompleted", eventId: -1, timestamp: at, taskScheduledId: e.id, result: e.result }
        : { kind: "subOrchestrationInstanceCompleted", eventId: -1, timestamp: at, taskScheduledId: e.id, result: e.result };
    }
    case "fail": {
      const call = task(e.id, ["activity", "subOrchestration"]);
      if (call.entity) return entityResponse(call, { ok: false, failure: e.failure }, at);
      return call.kind === "activity"
        ? { kind: "taskFailed", eventId: -1, timestamp: at, taskScheduledId: e.id, failure: e.failure }
        : { kind: "subOrchestrationInstanceFailed", eventId: -1, timestamp: at, taskScheduledId: e.id, failure: e.failure };
    }
    case "fireTimer": {
      const call = task(e.id, ["timer"]);
      return { kind: "timerFired", eventId: -1, timestamp: at, timerId: e.id, fireAt: call.fireAt ?? at };
    }
    case "raiseEvent":
      return { kind: "eventRaised", eventId: -1, timestamp: at, name: e.name, input: e.input };
    case "suspend":
      return { kind: "executionSuspended", eventId: -1, timestamp: at, input: e.reason === undefined ? undefined : JSON.stringify(e.reason) };
    case "resume":
      return { kind: "executionResumed", eventId: -1, timestamp: at, input: e.reason === undefined ? undefined : JSON.stringify(e.reason) };
    case "terminate":
      return { kind: "executionTerminated", eventId: -1, timestamp: at, input: e.output };
  }
}
