import type { HistoryEvent } from "../../history/model.js";
import type { DurableCall, Engine, EpisodeInput, EpisodeRun, EpisodeSession, OrchestratorTarget, RunOptions } from "../engine.js";
import { fromPbAction } from "./actions.js";
import { dirname } from "node:path";
import { hookCallSites, withCallSiteSink } from "../coverage-hooks.js";
import { CALL_METHODS, ENTITY_METHODS, entityFeaturePrototype, installCapture, trackExecutor, type CaptureState } from "./capture.js";
import { activateProtoNamespace, loadDurableTaskSdk, type DurableTaskSdk, type Untyped } from "./sdk.js";
import { installRejectionCapture, producedAtRejection } from "./rejection.js";
import { ProtobufConverter } from "./to-protobuf.js";

const SILENT_LOGGER = { error() {}, warn() {}, info() {}, debug() {} };

/**
 * The Dapr copies of the executor log through console on every call; silence it while they run
 * (reference-counted, so overlapping runs restore the real console only when the last one ends).
 */
let muted: { users: number; saved: Pick<Console, "log" | "info" | "warn" | "error" | "debug"> } | undefined;
function muteConsole(): () => void {
  if (!muted) {
    muted = { users: 0, saved: { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug } };
    const noop = () => {};
    console.log = console.info = console.warn = console.error = console.debug = noop;
  }
  muted.users++;
  return () => {
    if (muted && --muted.users === 0) {
      Object.assign(console, muted.saved);
      muted = undefined;
    }
  };
}

const converters = new Map<DurableTaskSdk, ProtobufConverter>();
const registries = new WeakMap<object, Map<string, Untyped>>();

function registryFor(sdk: DurableTaskSdk, target: OrchestratorTarget): Untyped {
  let byName = registries.get(target.fn);
  if (!byName) registries.set(target.fn, (byName = new Map()));
  const key = `${sdk.root}\0${target.name}`;
  let registry = byName.get(key);
  if (!registry) {
    registry = new sdk.Registry();
    registry.addNamedOrchestrator(target.name, target.fn);
    byName.set(key, registry);
  }
  return registry;
}

/**
 * The converted old events of a list that later invocations extend (simulate appends each
 * episode's events to one array): kept per array and per converter, so each episode converts and
 * copies only what was appended since the previous one.
 */
const oldLists = new WeakMap<ProtobufConverter, WeakMap<readonly HistoryEvent[], { pb: Untyped[]; upTo: number; last: HistoryEvent | undefined }>>();

function oldConverted(converter: ProtobufConverter, events: readonly HistoryEvent[], oldCount: number): Untyped[] {
  let byList = oldLists.get(converter);
  if (!byList) oldLists.set(converter, (byList = new WeakMap()));
  let list = byList.get(events);
  // Start over when the list is not the extension of what was converted (a shorter invocation, or edited events).
  if (!list || list.upTo > oldCount || (list.upTo > 0 && events[list.upTo - 1] !== list.last)) {
    list = { pb: [], upTo: 0, last: undefined };
    byList.set(events, list);
  }
  for (let i = list.upTo; i < oldCount; i++) {
    const event = events[i]!;
    if (event.kind !== "orchestratorCompleted") list.pb.push(converter.convertReused(event));
  }
  list.upTo = oldCount;
  list.last = oldCount > 0 ? events[oldCount - 1] : undefined;
  return list.pb;
}

function countReplayed(events: readonly HistoryEvent[], oldCount: number): number {
  let n = 0;
  for (let i = 0; i < oldCount; i++) if (events[i]!.kind !== "orchestratorCompleted") n++;
  return n;
}

function instanceIdOf(events: readonly HistoryEvent[]): string {
  for (const event of events) {
    if (event.kind === "executionStarted") return event.instanceId || "dtcheck-replay";
  }
  return "dtcheck-replay";
}

/**
 * durabletask-js and the Dapr fork: converts canonical events to the SDK's protobuf events and
 * calls its own OrchestrationExecutor, so the replay check is the production SDK's.
 */
export class DurableTaskEngine implements Engine {
  readonly caseInsensitiveNames = false;
  constructor(readonly sdk: "durabletask" | "dapr") {}

  async runEpisode(target: OrchestratorTarget, input: EpisodeInput, options: RunOptions = {}): Promise<EpisodeRun> {
    const { sdk, converter } = prepared(target);
    const { events, oldCount, newIndices } = input;
    // orchestratorCompleted events are no-ops for every executor version (no case in its switch), so
    // they are not converted; old events are converted lean (see ProtobufConverter.convert) unless a
    // rewind, which rebuilds the history from these events, is present.
    const fullTimestamps = events.some((e) => e.kind === "executionRewound");
    const tracked = options.capture || options.record;
    const reuse = options.reuseConverted === true;
    let oldEvents: Untyped[] = [];
    const oldSource: number[] = [];
    if (tracked || fullTimestamps) {
      for (let i = 0; i < oldCount; i++) {
        const event = events[i]!;
        if (event.kind === "orchestratorCompleted") continue;
        oldEvents.push(fullTimestamps ? converter.convert(event, true) : converter.convertOld(event));
        oldSource.push(i);
      }
    } else if (reuse) {
      // A copy: the kept list grows with later episodes.
      oldEvents = oldConverted(converter, events, oldCount).slice();
    } else {
      oldEvents.length = countReplayed(events, oldCount);
      // The executor only iterates old events (and reads their count) unless a rewind is present:
      // convert each as it is reached, so a long history never holds all its protobuf events at once.
      const lean = converter;
      Object.defineProperty(oldEvents, Symbol.iterator, {
        *value() {
          for (let i = 0; i < oldCount; i++) {
            const event = events[i]!;
            if (event.kind !== "orchestratorCompleted") yield lean.convertOld(event);
          }
        },
      });
    }
    const newEvents: Untyped[] = newIndices.map((i) => converter.convertNew(events[i]!, reuse));

    const state: CaptureState | undefined = tracked ? { withStacks: options.capture ?? false, calls: new Map() } : undefined;
    const uninstall = state ? installCapture(sdk) : undefined;
    const unmute = sdk.logsToConsole ? muteConsole() : undefined;
    let result: Untyped;
    try {
      const executor = new sdk.OrchestrationExecutor(registry(sdk, target), SILENT_LOGGER);
      if (state) trackExecutor(executor, state);
      if (options.coverage) hookDurableTask(sdk);
      result = await withCallSiteSink(options.coverage, () => executor.execute(instanceIdOf(events), oldEvents, newEvents));
    } finally {
      unmute?.();
      uninstall?.();
    }

    const run = episodeRun(sdk, result.actions as Untyped[], result.customStatus);
    if (state) {
      run.calls = state.calls;
      for (const call of run.actions) {
        const made = state.calls.get(call.id);
        if (made?.location) call.location = made.location;
      }
      const indexOf = (pbEvent: Untyped): number | undefined => {
        const index = oldEvents.indexOf(pbEvent);
        if (index >= 0) return oldSource[index];
        const newIndex = newEvents.indexOf(pbEvent);
        return newIndex >= 0 ? newIndices[newIndex] : undefined;
      };
      if (run.nonDeterminism && state.rejectedEvent) run.nonDeterminism.eventIndex = indexOf(state.rejectedEvent);
      if (run.status === "failed" && state.failedEvent) run.failedAtEventIndex = indexOf(state.failedEvent);
    }
    return run;
  }

  openSession(target: OrchestratorTarget, options: Pick<RunOptions, "coverage"> = {}): EpisodeSession | undefined {
    const { sdk, converter } = prepared(target);
    const executor = new sdk.OrchestrationExecutor(registry(sdk, target), SILENT_LOGGER);
    // What OrchestrationExecutor.execute does per invocation, minus the replay: the same event
    // handler (processEvent) on one context kept for the whole session. Copies without it replay.
    if (typeof executor.processEvent !== "function" || typeof sdk.RuntimeOrchestrationContext !== "function") return undefined;
    if (options.coverage) hookDurableTask(sdk);
    let ctx: Untyped | undefined;
    let processed = 0;
    return {
      step: async ({ events, oldCount, newIndices }) => {
        ctx ??= new sdk.RuntimeOrchestrationContext(instanceIdOf(events));
        const context = ctx;
        const continues = processed > 0;
        const unmute = sdk.logsToConsole ? muteConsole() : undefined;
        let thrownValue = false;
        try {
          await withCallSiteSink(
            options.coverage,
            async () => {
              try {
                // The previous episode's actions, now recorded: they confirm its pending actions as a replay would.
                context._isReplaying = true;
                for (let i = processed; i < oldCount; i++) {
                  const event = events[i]!;
                  if (event.kind !== "orchestratorCompleted") await executor.processEvent(context, converter.convertReused(event));
                }
                context._isReplaying = false;
                for (const i of newIndices) await executor.processEvent(context, converter.convertNew(events[i]!, true));
              } catch (error) {
                // Every copy fails the orchestration with an Error as thrown; a thrown non-Error is
                // wrapped by durabletask-js and passed as is by the Dapr copies: left to their replay.
                if (error instanceof Error) context.setFailed(error);
                else thrownValue = true;
              }
            },
            continues,
          );
        } finally {
          unmute?.();
        }
        if (thrownValue) return undefined;
        processed = events.length;
        // durabletask-js reads it through a method, the Dapr copies from the field.
        const customStatus = typeof context.getCustomStatus === "function" ? context.getCustomStatus() : context._customStatus;
        return episodeRun(sdk, context.getActions() as Untyped[], customStatus);
      },
    };
  }
}

/** The SDK copy a target registered with, its protobuf namespace active, and its event converter. */
function prepared(target: OrchestratorTarget): { sdk: DurableTaskSdk; converter: ProtobufConverter } {
  const sdk = loadDurableTaskSdk(target.sdkRoot);
  activateProtoNamespace(sdk);
  installRejectionCapture(sdk);
  let converter = converters.get(sdk);
  if (!converter) converters.set(sdk, (converter = new ProtobufConverter(sdk)));
  return { sdk, converter };
}

/** An invocation's protobuf actions as SDK-neutral calls, with how the orchestration stands after it. */
function episodeRun(sdk: DurableTaskSdk, actions: Untyped[], customStatus: string | undefined): EpisodeRun {
  const run: EpisodeRun = { actions: [], status: "running" };
  for (const action of actions) {
    const call: DurableCall = fromPbAction(sdk, action);
    if (call.kind === "completion") {
      run.status = call.status ?? "completed";
      run.output = call.output;
      run.failure = call.failure;
      if (call.failure?.errorType === "NonDeterminismError") {
        run.nonDeterminism = { message: call.failure.errorMessage };
        const produced = producedAtRejection(action);
        if (produced) run.nonDeterminism.produced = produced;
      }
    }
    run.actions.push(call);
  }
  if (customStatus !== undefined) run.customStatus = customStatus;
  return run;
}

const featurePrototypes = new Map<DurableTaskSdk, Untyped>();

/** The context's durable methods (waits included) and its entity client's, hooked for coverage. */
function hookDurableTask(sdk: DurableTaskSdk): void {
  const excluded = [sdk.root, dirname(dirname(sdk.root))];
  hookCallSites(sdk.RuntimeOrchestrationContext.prototype, [...CALL_METHODS.map(([method]) => method), "waitForExternalEvent"], excluded);
  if (!featurePrototypes.has(sdk)) featurePrototypes.set(sdk, entityFeaturePrototype(sdk));
  hookCallSites(featurePrototypes.get(sdk), ENTITY_METHODS, excluded);
}

function registry(sdk: DurableTaskSdk, target: OrchestratorTarget): Untyped {
  return registryFor(sdk, target);
}
