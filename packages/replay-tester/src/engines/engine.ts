import type { EntityEventKind, FailureDetails, HistoryEvent, OrchestrationStatus } from "../history/model.js";

/** The SDK family an orchestrator was written for; each has its own engine. */
export type SdkKind = "durabletask" | "dapr" | "durable-functions";

/** What kind of durable operation a call is, in SDK-neutral terms. */
export type CallKind =
  | "activity"
  | "timer"
  | "subOrchestration"
  | "sendEvent"
  | "entity"
  | "completion"
  | "terminate";

/** A source position in the user's code (after source-map mapping). */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/**
 * One durable call: either produced by the orchestrator code (an action) or recorded in the
 * history (a scheduling event). Payloads are JSON text, as in the history model.
 */
export interface DurableCall {
  kind: CallKind;
  /** The task's sequence number (the history's eventId for scheduling events). */
  id: number;
  /** Activity / sub-orchestration / event / entity operation name. */
  name?: string;
  input?: string;
  /** Timers: when the timer fires (ISO-8601). */
  fireAt?: string;
  /** Sub-orchestrations: the child instance id; sendEvent: the target instance. */
  instanceId?: string;
  /** Completions: the final status, output and failure. */
  status?: OrchestrationStatus;
  output?: string;
  failure?: FailureDetails;
  /** Where the orchestrator code made the call (only when stacks were captured). */
  location?: SourceLocation;
  /** Entity operations (kind "entity" for durabletask-js, "sendEvent" for Durable Functions): what was asked of which entity. */
  entity?: EntityMessage;
}

/**
 * One message an orchestrator sends to an entity. A "call" and a "lock" wait for a response, which
 * the runtime matches by `requestId`; a "signal" and an "unlock" are fire-and-forget.
 */
export interface EntityMessage {
  type: "call" | "signal" | "lock" | "unlock";
  /** The target entity's instance id, "@name@key" (a lock's: the first entity of its lock set). */
  entityId?: string;
  /** The operation (call and signal). */
  operation?: string;
  /**
   * What the response refers to: the requestId of a durabletask-js call, the criticalSectionId of
   * its lock, or the id of the request message Durable Functions sends.
   */
  requestId?: string;
  /** durabletask-js: the history event the runtime writes for the message, with its proto3-JSON fields. */
  event?: { kind: EntityEventKind; payload: Record<string, unknown> };
}

/** What one orchestrator invocation (one episode) produced. */
export interface EpisodeRun {
  /** The actions the invocation returned (calls not already confirmed by old events), by id. */
  actions: DurableCall[];
  /** "running" while the orchestrator waits; otherwise how it finished. */
  status: OrchestrationStatus;
  output?: string;
  failure?: FailureDetails;
  customStatus?: string;
  /**
   * Set when the SDK's own replay check rejected the history (durabletask-js returns this as a
   * FAILED completion with NonDeterminismError), with the index of the history event it rejected
   * when known.
   */
  nonDeterminism?: {
    message: string;
    eventIndex?: number;
    /** The call the code made at the rejected sequence id, as this very run made it (no source location). */
    produced?: DurableCall;
  };
  /** With `capture` (durable-functions: on every run): the index of the history event whose processing made the orchestrator throw. */
  failedAtEventIndex?: number;
  /** With `capture` or `record`: every call the code made during the invocation, by sequence id (with its location when captured). */
  calls?: Map<number, DurableCall>;
}

/** Which events of a history one invocation receives, as the runtime delivers them. */
export interface EpisodeInput {
  /** The whole history known so far. */
  events: readonly HistoryEvent[];
  /** events[0..oldCount) are replayed (isReplaying = true). */
  oldCount: number;
  /** Indices of the events delivered as new in this invocation. */
  newIndices: readonly number[];
}

export interface RunOptions {
  /** Record every call with the stack of the code that made it (slow; used to explain divergences). */
  capture?: boolean;
  /** Record every call (kind, name, input, fire time) without stacks, for strict checks of earlier episodes. */
  record?: boolean;
  /**
   * The same event objects will be replayed again by later invocations (simulations, perturbed
   * replays): engines may keep their converted form. A one-off replay leaves this off.
   */
  reuseConverted?: boolean;
  /** Told about every durable API call the code makes, to record which call sites were reached (coverage). */
  coverage?: CallSiteSink;
}

/**
 * Where an engine reports the durable calls an invocation makes (see coverage/recorder.ts): a
 * stack is taken only for the calls the sink asks about.
 */
export interface CallSiteSink {
  /** An invocation starts (its code runs again from the start). */
  beginInvocation(): void;
  /** The next call of the invocation, by method and what it calls; true when the sink wants its location. */
  nextCall(method: string, name: string): boolean;
  /** The user's code location of the call the sink asked about (undefined when no user frame was found). */
  reach(location: SourceLocation | undefined, method: string): void;
}

/** A loaded orchestrator function, bound to the SDK installation it registered with. */
export interface OrchestratorTarget {
  sdk: SdkKind;
  name: string;
  fn: (...args: never[]) => unknown;
  /** The SDK installation directory whose executor must run it (the user's copy). */
  sdkRoot: string;
  /** The module file it came from, for messages. */
  modulePath?: string;
  /**
   * Where its source can be read while the check runs, when that is not `modulePath` (a git
   * baseline's temporary checkout, whose path messages do not show).
   */
  sourceFile?: string;
}

/**
 * One orchestration driven forward on one SDK context, as one long execution: each step processes
 * only the events the previous steps did not (the last episode's recorded actions as old events,
 * then the new ones) and resumes the same generator instead of replaying the history from the start.
 */
export interface EpisodeSession {
  /**
   * The same input runEpisode takes; events before the previous step's end are not processed again.
   * Undefined when the session cannot stand for a replay from here (the SDK copies part ways): the
   * caller replays this episode and the rest with runEpisode.
   */
  step(input: EpisodeInput): Promise<EpisodeRun | undefined>;
}

/** One adapter per SDK: run one orchestrator invocation with the SDK's own executor. */
export interface Engine {
  readonly sdk: SdkKind;
  /** Whether the runtime compares names case-insensitively (DTFx does; durabletask-js does not). */
  readonly caseInsensitiveNames: boolean;
  runEpisode(target: OrchestratorTarget, input: EpisodeInput, options?: RunOptions): Promise<EpisodeRun>;
  /**
   * A session on the SDK's own executor and context, for generating histories: a deterministic
   * orchestrator returns exactly the actions per-episode replays would, at the cost of one
   * execution instead of one replay per episode. What it generates is only ever judged by real
   * replays (fuzz's perturbed ones, drift's on the candidate). Undefined when the engine or the
   * installed SDK copy cannot drive one.
   */
  openSession?(target: OrchestratorTarget, options?: Pick<RunOptions, "coverage">): EpisodeSession | undefined;
}
