import { dirname } from "node:path";
import type { HistoryEvent } from "../../history/model.js";
import { expectedCall } from "../calls.js";
import type { DurableCall, Engine, EpisodeInput, EpisodeRun, OrchestratorTarget, RunOptions, SourceLocation } from "../engine.js";
import { captureCallSites, userFrame } from "../stack.js";
import { hookCallSites, withCallSiteSink } from "../coverage-hooks.js";
import type { Untyped } from "../durabletask/sdk.js";
import { compareCall } from "../../replay/compare.js";
import { describeCall } from "../calls.js";
import { loadDurableFunctionsSdk, type DurableFunctionsSdk } from "./sdk.js";
import { entityRequest } from "./entity-request.js";
import { retryTimerFireAt } from "./retry-delay.js";
import { toWireEvent } from "./to-wire.js";

/** State of the run in progress; the permanent patches on the SDK record into it. */
interface RunState {
  sdk: DurableFunctionsSdk;
  capture: boolean;
  /** Sequence id → call, as the executor assigns ids (the same numbering DTFx gives history events). */
  calls: Map<number, DurableCall>;
  /** Where each action object was created (capture only). */
  locations: WeakMap<object, SourceLocation>;
  /** Location of a fire-and-forget call being made (signalEntity records its action synchronously). */
  pendingLocation?: SourceLocation;
  /** History index of each wire event handed to the executor. */
  historyIndex: WeakMap<object, number>;
  /** History index of the event the executor is processing (the code runs synchronously inside it). */
  processing?: number;
  /** Sequence id → history index of the event whose processing made the call. */
  madeAt: Map<number, number>;
  /** History index of the event whose processing made the code throw (the executor stops there). */
  threwAt?: number;
}

/** Notes which history event's processing made the call with this id. */
function noteMadeAt(state: RunState, id: number): void {
  if (state.processing !== undefined && !state.madeAt.has(id)) state.madeAt.set(id, state.processing);
}

let current: RunState | undefined;
const patched = new Set<string>();

function jsonText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return JSON.stringify(value);
}

/** DF actions keep string inputs already JSON-encoded (Utils.processInput) and other values raw. */
function actionInput(value: unknown): string | undefined {
  return typeof value === "string" ? value : jsonText(value);
}

function callOf(sdk: DurableFunctionsSdk, id: number, action: Untyped, location?: SourceLocation, context?: Untyped): DurableCall {
  const t = sdk.ActionType;
  const call = ((): DurableCall => {
    switch (action?.actionType) {
      case t["CallActivity"]:
      case t["CallActivityWithRetry"]:
        return { kind: "activity", id, name: action.functionName, input: actionInput(action.input) };
      case t["CallSubOrchestrator"]:
      case t["CallSubOrchestratorWithRetry"]:
        return { kind: "subOrchestration", id, name: action.functionName, instanceId: action.instanceId, input: actionInput(action.input) };
      case t["CreateTimer"]:
        return { kind: "timer", id, fireAt: action.fireAt instanceof Date ? action.fireAt.toISOString() : undefined };
      case t["CallEntity"]:
      case t["SignalEntity"]:
      case t["LockEntities"]:
      case t["ReleaseEntities"]: {
        // DTFx sends entity messages as EventSent to the entity's scheduler id, carrying the request.
        const kind = (["CallEntity", "SignalEntity", "LockEntities", "ReleaseEntities"] as const).find((k) => t[k] === action.actionType)!;
        const request = entityRequest(kind, action, id, context);
        const call: DurableCall = { kind: "sendEvent", id, name: request.name, entity: request.entity };
        if (request.instanceId !== undefined) call.instanceId = request.instanceId;
        if (request.input !== undefined) call.input = request.input;
        return call;
      }
      case t["CallHttp"]:
        return { kind: "activity", id, name: "BuiltIn::HttpActivity" };
      default:
        return { kind: "terminate", id };
    }
  })();
  if (location) call.location = location;
  return call;
}

/** The context.df methods that make durable calls: their location is captured to explain divergences. */
const CALL_METHODS = [
  "callActivity",
  "callActivityWithRetry",
  "callSubOrchestrator",
  "callSubOrchestratorWithRetry",
  "createTimer",
  "callEntity",
  "signalEntity",
  "callHttp",
];
/** The same and waits, recorded for coverage. */
const COVERED_METHODS = [...CALL_METHODS, "waitForExternalEvent"];

/** Permanently wraps the SDK's id assignment (and, for capture, its API calls); inert when no run is in progress. */
function patch(sdk: DurableFunctionsSdk): void {
  if (patched.has(sdk.root)) return;
  patched.add(sdk.root);
  const executor = sdk.TaskOrchestrationExecutor.prototype;
  const trackOpenTask = executor.trackOpenTask;
  executor.trackOpenTask = function (this: Untyped, task: Untyped) {
    const fresh = current && !(task instanceof sdk.CompoundTask) && task.id === false;
    const result = trackOpenTask.call(this, task);
    if (fresh && current && typeof task.id === "number") {
      noteMadeAt(current, task.id);
      const retry = task instanceof sdk.NoOpTask && task.parent instanceof sdk.RetryableTask ? task.parent : undefined;
      if (retry) {
        // A RetryableTask's children alternate: the original call, then a retry timer, then the call again, ...
        const position = retry.children.indexOf(task);
        const location = current.locations.get(retry.actionObj);
        current.calls.set(
          task.id,
          position % 2 === 1
            ? {
                kind: "timer",
                id: task.id,
                // The JS side leaves the delay to the host; compute it as the host does. The failed attempt is
                // the (position + 1) / 2-th, and the failure was just delivered at currentUtcDateTime.
                fireAt: retryTimerFireAt(retry.retryOptions, (position + 1) / 2, this.context?.currentUtcDateTime),
                location,
              }
            : callOf(sdk, task.id, retry.actionObj, location, this.context),
        );
      } else {
        current.calls.set(task.id, callOf(sdk, task.id, task.actionObj, current.locations.get(task.actionObj), this.context));
      }
    }
    return result;
  };
  const recordFireAndForget = executor.recordFireAndForgetAction;
  executor.recordFireAndForgetAction = function (this: Untyped, action: Untyped, increment?: number) {
    if (current && !this.willContinueAsNew) {
      noteMadeAt(current, this.sequenceNumber);
      current.calls.set(this.sequenceNumber, callOf(sdk, this.sequenceNumber, action, current.pendingLocation, this.context));
    }
    return recordFireAndForget.call(this, action, increment);
  };

  const processEvent = executor.processEvent;
  executor.processEvent = function (this: Untyped, event: Untyped) {
    const state = current;
    if (!state) return processEvent.call(this, event);
    const previous = state.processing;
    state.processing = state.historyIndex.get(event);
    try {
      return processEvent.call(this, event);
    } finally {
      // The executor keeps the code's exception and processes no event after it.
      if (this.exception !== undefined && state.threwAt === undefined) state.threwAt = state.processing;
      state.processing = previous;
    }
  };

  const context = sdk.DurableOrchestrationContext.prototype;
  const excluded = [dirname(sdk.root)];
  for (const method of CALL_METHODS) {
    const original = context[method];
    if (typeof original !== "function") continue;
    const wrapper = function (this: Untyped, ...args: unknown[]) {
      if (!current?.capture) return original.apply(this, args);
      const location = userFrame(captureCallSites(), excluded);
      const state = current;
      state.pendingLocation = location;
      try {
        const task = original.apply(this, args);
        const action = task?.actionObj;
        if (action && location) state.locations.set(action, location);
        return task;
      } finally {
        state.pendingLocation = undefined;
      }
    };
    Object.defineProperty(wrapper, "name", { value: original.name });
    context[method] = wrapper;
  }
}

/**
 * The input the host hands the orchestrator: ExecutionStarted's JSON, deserialised. Histories also
 * hold bare strings there (`World`, as the SDK's own test histories do), which the host passes on as
 * the string itself.
 */
function bindingInput(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const OUT_OF_PROC_DATA = "\n\n$OutOfProcData$:";

/**
 * What an orchestrator's failure really was. durable-functions 3.5 throws an
 * OrchestrationFailureError built from `orchestratorReturned` (a boolean, so the message reads
 * "false") followed by `$OutOfProcData$:` and the orchestrator state, whose `error` holds the
 * exception's message and `failureDetails` a failed task's details: the host reads the cause from
 * there, and so does dtcheck. Errors thrown before the executor runs keep their own message.
 */
export function orchestrationFailure(error: unknown): { errorType: string; errorMessage: string } {
  const message = error instanceof Error ? error.message : String(error);
  const at = message.indexOf(OUT_OF_PROC_DATA);
  if (at < 0) return { errorType: error instanceof Error ? error.name : "Error", errorMessage: message };
  const head = message.slice(0, at);
  let state: { error?: unknown; failureDetails?: { ErrorType?: unknown; errorType?: unknown } } | undefined;
  try {
    state = JSON.parse(message.slice(at + OUT_OF_PROC_DATA.length)) as typeof state;
  } catch {
    state = undefined;
  }
  const details = state?.failureDetails;
  const detailType = details?.ErrorType ?? details?.errorType;
  // A failed task's message ends in " \n " plus its (empty) details: the cause is the text before.
  const cause = typeof state?.error === "string" && state.error.trim() !== "" ? state.error.trimEnd() : head;
  return { errorType: typeof detailType === "string" && detailType !== "" ? detailType : "Error", errorMessage: cause };
}

/**
 * durable-functions v3: drives the package's own executor the way its tests do (createOrchestrator
 * with a DurableOrchestrationInput). Its JS side checks nothing on replay, so this engine adds the
 * check DTFx makes in production: every TaskScheduled / TimerCreated / SubOrchestrationInstanceCreated
 * / EventSent in the replayed history must match the call the code makes at that sequence number,
 * by kind and case-insensitive name.
 */
export class DurableFunctionsEngine implements Engine {
  readonly sdk = "durable-functions" as const;
  readonly caseInsensitiveNames = true;

  async runEpisode(target: OrchestratorTarget, input: EpisodeInput, options: RunOptions = {}): Promise<EpisodeRun> {
    const sdk = loadDurableFunctionsSdk(target.sdkRoot);
    patch(sdk);
    const { events, oldCount, newIndices } = input;
    const wire: Untyped[] = [];
    const historyIndex = new WeakMap<object, number>();
    const push = (index: number, played: boolean) => {
      const converted = toWireEvent(events[index]!, sdk.HistoryEventType, played);
      if (!converted) return;
      wire.push(converted);
      historyIndex.set(converted, index);
    };
    for (let i = 0; i < oldCount; i++) push(i, true);
    for (const i of newIndices) push(i, false);
    let started: HistoryEvent | undefined;
    for (const event of events) {
      if (event.kind === "executionStarted") {
        started = event;
        break;
      }
    }
    const instanceId = (started?.kind === "executionStarted" && started.instanceId) || "dtcheck-replay";
    const orchestrationInput = started?.kind === "executionStarted" ? bindingInput(started.input) : undefined;

    const state: RunState = { sdk, capture: options.capture ?? false, calls: new Map(), locations: new WeakMap(), historyIndex, madeAt: new Map() };
    const run: EpisodeRun = { actions: [], status: "running" };
    const previous = current;
    current = state;
    try {
      const handler = sdk.createOrchestrator(target.fn);
      // Replay under the newest schema the package supports, as a current Durable extension does: from
      // V3 on, timers longer than maximumShortTimerDuration (6 days) are split into 3-day timers.
      const trigger = new sdk.DurableOrchestrationInput(instanceId, wire, orchestrationInput, undefined, undefined, undefined, sdk.latestReplaySchema);
      const context = new sdk.DummyOrchestrationContext("dtcheck", "dtcheck-invocation", () => {});
      try {
        if (options.coverage) hookCallSites(sdk.DurableOrchestrationContext.prototype, COVERED_METHODS, [dirname(sdk.root)]);
        const result: Untyped = await withCallSiteSink(options.coverage, () => handler(trigger, context));
        if (result?.isDone) {
          const continued = (result.actions as Untyped[][]).flat().find((a) => a?.actionType === sdk.ActionType["ContinueAsNew"]);
          run.status = continued ? "continuedAsNew" : "completed";
          run.output = continued ? actionInput(continued.input) : jsonText(result.output);
        }
        if (result?.customStatus !== undefined) run.customStatus = jsonText(result.customStatus);
      } catch (error) {
        run.status = "failed";
        run.failure = orchestrationFailure(error);
      }
    } finally {
      current = previous;
    }

    // The DTFx check, for the history the runtime replays (events before this invocation's new ones),
    // in history order: DTFx replays event by event, so at each scheduling event the code must already
    // have made that call from the events before it, not from a result the history delivers later.
    const confirmed = new Set<number>();
    // Where the code threw, the runtime stopped: DTFx fails the orchestration there, and the calls the
    // history recorded after that point were not refused, the code never got to them.
    const replayedUpTo = state.threwAt === undefined ? oldCount : Math.min(oldCount, state.threwAt + 1);
    for (let i = 0; i < replayedUpTo; i++) {
      const expected = expectedCall(events[i]!);
      if (!expected || expected.kind === "completion") continue;
      const produced = state.calls.get(expected.id);
      const made = state.madeAt.get(expected.id);
      let rejection: string | undefined;
      if (compareCall(expected, produced, { strict: false, caseInsensitive: true })) {
        rejection = `the history has ${describeCall(expected)} with EventId ${expected.id}, but the orchestrator now makes ${describeCall(produced)} at that sequence number`;
      } else if (made !== undefined && made > i) {
        rejection = `the history has ${describeCall(expected)} with EventId ${expected.id} at event ${i}, but the orchestrator makes it only after event ${made} (${events[made]!.kind})`;
      }
      if (rejection) {
        run.nonDeterminism = { message: `Non-Deterministic workflow detected: ${rejection}`, eventIndex: i };
        run.status = "failed";
        break;
      }
      confirmed.add(expected.id);
    }
    for (const call of [...state.calls.values()].sort((a, b) => a.id - b.id)) {
      if (!confirmed.has(call.id)) run.actions.push(call);
    }
    if (run.status !== "running") {
      run.actions.push({ kind: "completion", id: -1, status: run.status, output: run.output, failure: run.failure });
    }
    // The calls are recorded on every run (the DTFx check needs them), so the verdict of a fast run can name them too.
    run.calls = state.calls;
    if (run.status === "failed" && !run.nonDeterminism && state.threwAt !== undefined) run.failedAtEventIndex = state.threwAt;
    return run;
  }
}
