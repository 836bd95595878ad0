/**
 * fast-check arbitraries for valid canonical histories, built the way the runtime writes them:
 * episodes that start with orchestratorStarted, messages (completions of open tasks, timers
 * firing, external events), then the orchestrator's new actions with increasing sequence ids,
 * and an optional end (a termination in an episode of its own). Timestamps strictly increase, as they do in a real history.
 */
import fc from "fast-check";
import type { FailureDetails, History, HistoryEvent } from "../../src/index.js";

export interface HistoryShape {
  /** Include entity events (protobuf-json and friendly only). */
  exotic?: boolean;
  /** Include executionRewound (not in the HTTP API history). */
  rewound?: boolean;
  /** Include lifecycle events the HTTP API cannot place in time reliably (suspend, generic, state). */
  lifecycle?: boolean;
}

const name = fc.string({ minLength: 1, maxLength: 12 });
/** JSON text as the runtime stores it; null is left out because some formats show it as absent. */
const payload = fc.option(
  fc.jsonValue({ maxDepth: 2 }).filter((v) => v !== null).map((v) => JSON.stringify(v)),
  { nil: undefined },
);
const failure: fc.Arbitrary<FailureDetails> = fc.record(
  {
    errorType: name,
    errorMessage: fc.string({ maxLength: 30 }),
    stackTrace: fc.string({ maxLength: 40 }),
    isNonRetriable: fc.boolean(),
    innerFailure: fc.record({ errorType: name, errorMessage: fc.string({ maxLength: 20 }) }),
  },
  { requiredKeys: ["errorType", "errorMessage"] },
);

type Action =
  | { kind: "task"; name: string; input: string | undefined }
  | { kind: "timer"; delayMs: number }
  | { kind: "sub"; name: string; instanceId: string; input: string | undefined }
  | { kind: "send"; name: string; instanceId: string; input: string | undefined };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant("task" as const), name, input: payload }),
  fc.record({ kind: fc.constant("timer" as const), delayMs: fc.integer({ min: 1, max: 100_000 }) }),
  fc.record({ kind: fc.constant("sub" as const), name, instanceId: name, input: payload }),
  fc.record({ kind: fc.constant("send" as const), name, instanceId: name, input: payload }),
);

interface Episode {
  /** How many open tasks complete in this episode (taken oldest first). */
  completions: number;
  outcomes: { fails: boolean; result: string | undefined; failure: FailureDetails }[];
  raised: { name: string; input: string | undefined }[];
  actions: Action[];
  extra: number;
}

const episode: fc.Arbitrary<Episode> = fc.record({
  completions: fc.integer({ min: 0, max: 3 }),
  outcomes: fc.array(fc.record({ fails: fc.boolean(), result: payload, failure }), { minLength: 3, maxLength: 3 }),
  raised: fc.array(fc.record({ name, input: payload }), { maxLength: 1 }),
  actions: fc.array(action, { maxLength: 3 }),
  extra: fc.integer({ min: 0, max: 9 }),
});

export function historyArbitrary(shape: HistoryShape = {}): fc.Arbitrary<History> {
  return fc
    .record({
      start: fc.record({
        name,
        input: payload,
        instanceId: fc.option(name, { nil: undefined }),
        version: fc.option(fc.constantFrom("1.0", "2.1"), { nil: undefined }),
        tags: fc.option(fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }), { nil: undefined }),
      }),
      firstId: fc.constantFrom(0, 1),
      startMs: fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
      episodes: fc.array(episode, { maxLength: 6 }),
      end: fc.option(
        fc.oneof(
          fc.record({ kind: fc.constant("completed" as const), result: payload }),
          fc.record({ kind: fc.constant("failed" as const), failure }),
          fc.record({ kind: fc.constant("continueAsNew" as const), input: payload }),
          fc.record({ kind: fc.constant("terminated" as const), input: payload, recurse: fc.boolean() }),
        ),
        { nil: undefined },
      ),
    })
    .map(({ start, firstId, startMs, episodes, end }) => {
      let now = startMs;
      const ts = () => new Date((now += 7)).toISOString();
      const events: HistoryEvent[] = [];
      let nextId = firstId;
      const open: { id: number; kind: "task" | "timer" | "sub"; fireAt?: string }[] = [];
      const act = (a: Action) => {
        const eventId = nextId++;
        if (a.kind === "task") {
          events.push({ kind: "taskScheduled", eventId, timestamp: ts(), name: a.name, input: a.input });
          open.push({ id: eventId, kind: "task" });
        } else if (a.kind === "timer") {
          const fireAt = new Date(now + a.delayMs).toISOString();
          events.push({ kind: "timerCreated", eventId, timestamp: ts(), fireAt });
          open.push({ id: eventId, kind: "timer", fireAt });
        } else if (a.kind === "sub") {
          events.push({ kind: "subOrchestrationInstanceCreated", eventId, timestamp: ts(), name: a.name, instanceId: a.instanceId, input: a.input });
          open.push({ id: eventId, kind: "sub" });
        } else {
          events.push({ kind: "eventSent", eventId, timestamp: ts(), name: a.name, instanceId: a.instanceId, input: a.input });
        }
      };
      events.push({ kind: "orchestratorStarted", eventId: -1, timestamp: ts() });
      events.push({ kind: "executionStarted", eventId: -1, timestamp: ts(), ...start });
      for (const ep of episodes) {
        events.push({ kind: "orchestratorCompleted", eventId: -1, timestamp: ts() });
        events.push({ kind: "orchestratorStarted", eventId: -1, timestamp: ts() });
        for (let i = 0; i < ep.completions && open.length > 0; i++) {
          const task = open.shift()!;
          const outcome = ep.outcomes[i]!;
          const timestamp = ts();
          if (task.kind === "timer") {
            events.push({ kind: "timerFired", eventId: -1, timestamp, timerId: task.id, fireAt: task.fireAt! });
          } else if (outcome.fails) {
            const kind = task.kind === "task" ? "taskFailed" : "subOrchestrationInstanceFailed";
            events.push({ kind, eventId: -1, timestamp, taskScheduledId: task.id, failure: outcome.failure });
          } else {
            const kind = task.kind === "task" ? "taskCompleted" : "subOrchestrationInstanceCompleted";
            events.push({ kind, eventId: -1, timestamp, taskScheduledId: task.id, result: outcome.result });
          }
        }
        for (const raised of ep.raised) events.push({ kind: "eventRaised", eventId: -1, timestamp: ts(), ...raised });
        if (shape.lifecycle && ep.extra === 1) {
          events.push({ kind: "executionSuspended", eventId: -1, timestamp: ts(), input: "paused" });
          events.push({ kind: "executionResumed", eventId: -1, timestamp: ts() });
        }
        if (shape.lifecycle && ep.extra === 2) events.push({ kind: "genericEvent", eventId: -1, timestamp: ts(), data: "x" });
        if (shape.lifecycle && ep.extra === 3) events.push({ kind: "historyState", eventId: -1, timestamp: ts() });
        if (shape.rewound && ep.extra === 5) events.push({ kind: "executionRewound", eventId: -1, timestamp: ts(), reason: "retry" });
        // The episode's own actions come after everything it was delivered.
        if (shape.exotic && ep.extra === 4) {
          events.push({ kind: "entityOperationSignaled", eventId: nextId++, timestamp: ts(), payload: { requestId: "r1", operation: "add", input: "1" } });
        }
        for (const a of ep.actions) act(a);
      }
      if (end) {
        const timestamp = ts();
        if (end.kind === "completed") events.push({ kind: "executionCompleted", eventId: -1, timestamp, status: "completed", result: end.result });
        else if (end.kind === "failed") events.push({ kind: "executionCompleted", eventId: -1, timestamp, status: "failed", failure: end.failure });
        else if (end.kind === "continueAsNew") events.push({ kind: "continueAsNew", eventId: -1, timestamp, input: end.input });
        else {
          // A termination is delivered to a new episode, after the last one's actions.
          events.push({ kind: "orchestratorCompleted", eventId: -1, timestamp });
          events.push({ kind: "orchestratorStarted", eventId: -1, timestamp: ts() });
          events.push({ kind: "executionTerminated", eventId: -1, timestamp: ts(), input: end.input, recurse: end.recurse });
        }
      }
      events.push({ kind: "orchestratorCompleted", eventId: -1, timestamp: ts() });
      return { events };
    });
}
