import { performance } from "node:perf_hooks";
import { executionStarted, splitEpisodes, type History, type HistoryEvent } from "../history/model.js";
import { describeCall, expectedCall, isOutputEvent } from "../engines/calls.js";
import type { CallSiteSink, DurableCall, Engine, EpisodeInput, EpisodeRun, OrchestratorTarget } from "../engines/engine.js";
import { engineFor } from "../engines/index.js";
import { isInputError } from "../errors.js";
import { numberedFor } from "../history/sequence-numbers.js";
import { validateHistory } from "../history/validate.js";
import { compareCall, sameJson } from "./compare.js";
import type { Divergence, DivergenceReason, ReplayResult } from "./result.js";

export interface ReplayOptions {
  /** Also compare inputs, timer fire times, extra trailing calls and the final status/output. */
  strict?: boolean;
  /** The history was already validated (readHistoryFile does); skip validating it again. */
  validated?: boolean;
  /**
   * Invoke the orchestrator once per episode, exactly as the runtime delivered the history (old
   * events = previous episodes, new events = what that episode received), checking each episode's
   * recorded calls against what it returned. Quadratic in history length; the default single
   * invocation reaches the same verdicts because the SDK checks every earlier episode while
   * replaying it, and unconfirmed calls stay in the returned actions.
   */
  everyEpisode?: boolean;
  /** Records the call sites the replay reaches (coverage; drift replays baseline histories on the candidate with it). */
  coverage?: CallSiteSink;
}

function episodeOf(episodes: { start: number; end: number }[], eventIndex: number): number {
  for (let i = episodes.length - 1; i >= 0; i--) if (eventIndex >= episodes[i]!.start) return i;
  return 0;
}

/** The invocation the runtime would make for the history's last episode: old = before it, new = what it delivered. */
function lastInvocation(events: readonly HistoryEvent[], start: number): EpisodeInput {
  const newIndices: number[] = [];
  for (let i = start; i < events.length; i++) if (!isOutputEvent(events[i]!)) newIndices.push(i);
  return { events, oldCount: start, newIndices };
}

function explain(reason: DivergenceReason, expected: DurableCall | undefined, produced: DurableCall | undefined): string {
  const id = expected?.id ?? produced?.id;
  switch (reason) {
    case "missing":
      return `the history recorded ${describeCall(expected)} with id ${id}, but the code no longer makes a call with that id`;
    case "wrong-kind":
    case "wrong-name":
      return `the history recorded ${describeCall(expected)} with id ${id}, but the code now makes ${describeCall(produced)}`;
    case "early":
      return `the history recorded ${describeCall(expected)} with id ${id} here, but the code makes that call only after an event the history delivers later; no run of this code writes this order (the events were reordered, or the code now waits for something first)`;
    case "input":
      return `${describeCall(expected)} with id ${id} was scheduled with input ${expected?.input ?? "(none)"}, but the code now passes ${produced?.input ?? "(none)"}`;
    case "fire-at":
      return `the timer with id ${id} fired at ${expected?.fireAt}, but the code now asks for ${produced?.fireAt}`;
    case "extra":
      return `the code makes ${describeCall(produced)} with id ${id}, which the history never recorded`;
    case "orchestrator-failed":
      return `the orchestrator threw ${produced?.failure?.errorType ?? "an error"}: ${produced?.failure?.errorMessage ?? ""} while replaying, where the history went on`;
    case "status":
      return `the history ended ${expected?.status ?? "running"}, but the code ends ${produced?.status ?? "running"}`;
    case "output":
      return `the history's result is ${expected?.output ?? "(none)"}, but the code returns ${produced?.output ?? "(none)"}`;
  }
}

/**
 * Replays one history against one orchestrator with its SDK's engine. The fast path is a single
 * invocation, as the runtime would make for the history's last episode: the SDK replays (and checks)
 * every earlier episode, and dtcheck checks the last episode's recorded calls against the returned
 * actions. Only when that finds a divergence is the same invocation re-run with stack capture, to
 * name the expected and produced calls and where the code made them.
 */
export async function replayHistory(
  recorded: History,
  target: OrchestratorTarget,
  options: ReplayOptions = {},
): Promise<ReplayResult> {
  const started = performance.now();
  // df-http has no ids: its reader numbers from 0, as Durable Functions does; durabletask-js numbers from 1.
  const history = numberedFor(recorded, target.sdk === "durable-functions" ? 0 : 1);
  const events = history.events;
  const episodes = splitEpisodes(events);
  const base: ReplayResult = {
    status: "ok",
    file: history.source?.file,
    orchestrator: target.name,
    sdk: target.sdk,
    events: events.length,
    episodes: episodes.length,
    durationMs: 0,
  };
  const rebuilt = new Set(history.reconstructions?.map((r) => r.eventIndex)).size;
  if (rebuilt > 0) base.rebuilt = rebuilt;
  const finish = (result: ReplayResult): ReplayResult => ({ ...result, durationMs: performance.now() - started });

  if (!options.validated) {
    try {
      validateHistory(history);
    } catch (error) {
      if (!isInputError(error)) throw error;
      return finish({ ...base, status: "failed", error: error.message });
    }
  }
  const start = executionStarted(history);
  if (!start) return finish({ ...base, status: "failed", error: "the history has no executionStarted event, so it cannot be replayed" });
  // Replay under the name the history recorded, whatever name the code registered it with.
  const bound: OrchestratorTarget = start.name === target.name ? target : { ...target, name: start.name };
  const engine = engineFor(target.sdk);
  const invocation = lastInvocation(events, episodes[episodes.length - 1]!.start);

  try {
    // Each prefix ending at an episode boundary is what the runtime held when it delivered that episode.
    const prefixes = options.everyEpisode ? episodes.map((e) => e.end) : [events.length];
    let orchestration: ReplayResult["orchestration"];
    for (const end of prefixes) {
      const prefix: History = end === events.length ? history : { ...history, events: events.slice(0, end) };
      const prefixEpisodes = end === events.length ? episodes : episodes.filter((e) => e.end <= end);
      const delivered = end === events.length ? invocation : lastInvocation(prefix.events, prefixEpisodes[prefixEpisodes.length - 1]!.start);
      // Strict mode compares inputs and fire times of every episode, so it records the calls (no stacks).
      const fast = await engine.runEpisode(bound, delivered, { record: options.strict, coverage: options.coverage });
      orchestration = { status: fast.status, output: fast.output, failure: fast.failure, customStatus: fast.customStatus };
      const found = findDivergence(prefix, prefixEpisodes, delivered, fast, engine, options);
      if (!found) continue;
      // Explain: re-run the same invocation with stack capture on, to find where the code made the call.
      // The verdict is always the first run's: capturing stacks on every replay would cost too much
      // (several microseconds per call, against a budget of half the raw executor's speed), so the
      // first run only keeps what it knows for free (the actions it returned, the call the SDK rejected).
      // Code with state kept between runs (a module-level set, a counter) can behave differently when
      // re-run; then the re-run's locations would describe other calls, so they are not used.
      const slow = await engine.runEpisode(bound, delivered, { capture: true });
      const explained = findDivergence(prefix, prefixEpisodes, delivered, slow, engine, options);
      const divergence = explained && (sameDivergence(explained, found) || UNDECIDED.has(found)) ? explained : unlocated(found);
      return finish({ ...base, status: "diverged", divergence, orchestration });
    }
    return finish({ ...base, orchestration });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return finish({ ...base, status: "failed", error: isInputError(error) ? message : `replay crashed: ${message}` });
  }
}

/**
 * The call the SDK reported at a rejected id, unless it names the very call the history expects
 * (some SDK copies pass the wrong name to their error): then it says nothing.
 */
function rejectedCall(expected: DurableCall, produced: DurableCall | undefined): DurableCall | undefined {
  if (produced && produced.kind === expected.kind && produced.name === expected.name) return undefined;
  return produced;
}

/** Whether the explaining re-run reached the first run's verdict: same place, same expected and produced call. */
function sameDivergence(a: Divergence, b: Divergence): boolean {
  const same = (x: DurableCall | undefined, y: DurableCall | undefined) => x?.kind === y?.kind && x?.name === y?.name && x?.id === y?.id;
  if (!same(a.expected, b.expected)) return false;
  // The first run cannot tell which event made the code throw (the re-run pins it): compare the error.
  if (b.reason === "orchestrator-failed") return a.reason === b.reason && a.produced?.failure?.errorMessage === b.produced?.failure?.errorMessage;
  if (a.eventIndex !== b.eventIndex) return false;
  // When the first run could not see the produced call (its SDK did not say), it reads as "missing":
  // the re-run can only add to that, not contradict it.
  if (!b.produced) return b.reason === "missing" || a.reason === b.reason;
  return a.reason === b.reason && (!a.produced || same(a.produced, b.produced));
}

/** Verdicts a run without stacks could not settle (which came first: a throw or a wrong call); the explaining re-run settles them. */
const UNDECIDED = new WeakSet<Divergence>();
function undecided(divergence: Divergence): Divergence {
  UNDECIDED.add(divergence);
  return divergence;
}

/** The first run's divergence, saying why it names no source location. */
function unlocated(found: Divergence): Divergence {
  return {
    ...found,
    message: `${found.message} (no source location: re-running the code to locate its calls went differently, as code that keeps state between runs, e.g. in a module-level variable, does)`,
  };
}

function findDivergence(
  history: History,
  episodes: { start: number; end: number }[],
  invocation: EpisodeInput,
  run: EpisodeRun,
  engine: Engine,
  options: ReplayOptions,
): Divergence | undefined {
  const events = history.events;
  const strict = options.strict ?? false;
  const compareOptions = { strict, caseInsensitive: engine.caseInsensitiveNames };
  const make = (reason: DivergenceReason, eventIndex: number, expected?: DurableCall, produced?: DurableCall): Divergence => {
    const divergence: Divergence = {
      reason,
      episode: episodeOf(episodes, eventIndex),
      eventIndex,
      expected,
      produced,
      message: explain(reason, expected, produced),
    };
    // On a rebuilt history (df-http) the verdict rests on the guess at this event, and on the payloads
    // and version the reader could not see before it, which are what most often send the code another way.
    const guesses = history.reconstructions ?? [];
    const exact = guesses.find((r) => r.eventIndex === eventIndex);
    const earlier = guesses.filter((r) => r.eventIndex < eventIndex);
    const unseen = earlier.filter((r) => / is not shown /.test(r.reason));
    const parts = [...(exact ? [exact.reason] : []), ...unseen.map((r) => `event ${r.eventIndex}: ${r.reason}`)];
    if (parts.length === 0 && earlier.length > 0) parts.push(`${earlier.length} earlier ${earlier.length === 1 ? "event was" : "events were"} rebuilt, e.g. event ${earlier.at(-1)!.eventIndex}: ${earlier.at(-1)!.reason}`);
    if (parts.length > 0) divergence.reconstructed = parts.join("; ");
    return divergence;
  };

  // 1. The SDK itself rejected an event while replaying earlier episodes.
  if (run.nonDeterminism) {
    const index = run.nonDeterminism.eventIndex ?? locateRejected(events, invocation.oldCount, run.nonDeterminism.message);
    const expected = index !== undefined ? expectedCall(events[index]!) : undefined;
    const produced = expected ? (run.calls?.get(expected.id) ?? rejectedCall(expected, run.nonDeterminism.produced)) : undefined;
    // The SDK rejected a call the code does make, with this kind and name: it made it too late.
    const reason: DivergenceReason = expected ? (compareCall(expected, produced, compareOptions) ?? "early") : "missing";
    const divergence = make(reason, index ?? 0, expected, produced);
    divergence.sdkMessage = run.nonDeterminism.message;
    return divergence;
  }

  // Lossy formats do not record inputs of reconstructed events: compare those by kind and name only.
  const reconstructed = new Set(history.reconstructions?.map((r) => r.eventIndex));
  const optionsAt = (i: number) => (strict && reconstructed.has(i) ? { ...compareOptions, strict: false } : compareOptions);

  // 2. Strict: inputs and timer fire times of every recorded call (the SDK checks kind and name only;
  //    a call it did not see, such as a retry timer, was already checked by the SDK).
  if (strict && run.calls) {
    const last = episodes[episodes.length - 1]!;
    for (let i = 0; i < last.start; i++) {
      const expected = expectedCall(events[i]!);
      if (!expected || expected.kind === "completion") continue;
      const produced = run.calls.get(expected.id);
      if (!produced) continue;
      const reason = compareCall(expected, produced, optionsAt(i));
      if (reason) return make(reason, i, expected, produced);
    }
  }

  // 3. dtcheck's check of the last episode, as the SDK would do it on the next invocation.
  const last = episodes[episodes.length - 1]!;
  const byId = new Map<number, DurableCall>();
  for (const action of run.actions) if (action.kind !== "completion") byId.set(action.id, action);
  let recordedCompletion: { index: number; call: DurableCall } | undefined;
  let recordedOutputs = false;
  let mismatch: Divergence | undefined;
  for (let i = last.start; i < last.end; i++) {
    const event = events[i]!;
    if (!isOutputEvent(event)) continue;
    recordedOutputs = true;
    const expected = expectedCall(event);
    if (!expected) continue;
    if (expected.kind === "completion") {
      recordedCompletion = { index: i, call: expected };
      continue;
    }
    if (mismatch) continue;
    const produced = byId.get(expected.id);
    const reason = compareCall(expected, produced, optionsAt(i));
    if (reason) mismatch = make(reason, i, expected, produced ?? run.calls?.get(expected.id));
    else byId.delete(expected.id);
  }

  // 4. The code threw where the history did not record a failure. Whichever comes first in the
  //    history decides, as the runtime replays it in order: a throw while replaying an earlier
  //    episode leaves the last episode's calls unmade, which is not where the code went wrong.
  const completion = run.actions.find((a) => a.kind === "completion");
  if (run.status === "failed" && recordedCompletion?.call.status !== "failed") {
    const failure = make("orchestrator-failed", run.failedAtEventIndex ?? recordedCompletion?.index ?? events.length, recordedCompletion?.call, completion);
    // The code ran inside a resume: say what it was handed there, or the resume looks like the cause.
    if (run.failedAtEventIndex !== undefined && events[run.failedAtEventIndex]?.kind === "executionResumed") {
      failure.message += ` (the resume at event ${run.failedAtEventIndex} delivered the events held while the orchestration was suspended)`;
    }
    if (!mismatch) return failure;
    // Without stacks the run cannot tell where the code threw: the explaining re-run decides.
    if (run.failedAtEventIndex === undefined) return undecided(mismatch);
    return run.failedAtEventIndex < mismatch.eventIndex ? failure : mismatch;
  }
  if (mismatch) return mismatch;
  if (!strict) return undefined;

  // 5. Strict: calls the history never recorded, then the final status and output.
  if (recordedOutputs) {
    const extra = [...byId.values()].sort((a, b) => a.id - b.id)[0];
    if (extra) return make("extra", last.end, undefined, run.calls?.get(extra.id) ?? extra);
  }
  if (recordedCompletion) {
    const expected = recordedCompletion.call;
    if (!completion || completion.status !== expected.status) {
      return make("status", recordedCompletion.index, expected, completion ?? { kind: "completion", id: -1, status: "running" });
    }
    if (!sameJson(expected.output, completion.output)) return make("output", recordedCompletion.index, expected, completion);
  }
  return undefined;
}

/** Fallback when the run was not instrumented: the SDK names the sequence id in its message. */
function locateRejected(events: readonly HistoryEvent[], oldCount: number, message: string): number | undefined {
  const match = /(?:ID=|sequence number )(-?\d+)/.exec(message);
  if (!match) return undefined;
  const id = Number(match[1]);
  for (let i = 0; i < oldCount; i++) {
    const event = events[i]!;
    if (event.eventId === id && expectedCall(event)) return i;
  }
  return undefined;
}
