/**
 * Runs a sample app on @microsoft/durabletask-js's own test runtime: `InMemoryOrchestrationBackend`
 * + `TestOrchestrationWorker` (the SDK's real worker loop and executor, no network). Activities are
 * answered from the app's stubs.json (the same answers dtcheck's recorder gives, so the runtime's
 * history can be compared with the golden), sub-orchestrations really run, external events and
 * suspend / resume / terminate are applied whenever the instance is idle, and durable timers (which
 * that runtime arms with setTimeout at their real fire time) are fired one by one on fake timers.
 *
 * Shared test support: the oracle tests use it, and so can a `dtcheck pull` test (with history-server.ts).
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { vi } from "vitest";
import { InMemoryOrchestrationBackend, TestOrchestrationClient, TestOrchestrationWorker, type TOrchestrator } from "@microsoft/durabletask-js";
import type * as Pb from "@microsoft/durabletask-js/dist/proto/orchestrator_service_pb.js";
import type * as WrappersPb from "google-protobuf/google/protobuf/wrappers_pb.js";
import type { HistoryEvent as PbHistoryEvent } from "@microsoft/durabletask-js/dist/proto/orchestrator_service_pb.js";
import { loadModule } from "../../src/index.js";
import { normaliseStubs, runStub, type RecordStubs } from "../../src/record/stubs.js";
import { activateProtoNamespace } from "../../src/engines/durabletask/sdk.js";
import { MICROSOFT_SDK } from "./sdk-oracle.js";
import type { HistoryStore, StoredInstance } from "./history-server.js";

/** Something done to the instance when it is idle (nothing queued), before any timer fires. */
export type RuntimeStep =
  | { raise: string; payload?: unknown }
  | { suspend: true }
  | { resume: true }
  | { terminate: unknown };

export interface RuntimeRun extends HistoryStore {
  instanceId: string;
  /** The root instance and every sub-orchestration it (transitively) started, root first. */
  instanceIds: string[];
  /** Committed protobuf history of an instance, as the backend held it when the run ended. */
  history(instanceId: string): PbHistoryEvent[];
  /** How many timers were fired. */
  timersFired: number;
  /** Every instance as the backend held it when the run ended (status, name, times), root first. */
  listInstances(): StoredInstance[];
}

export interface RuntimeOptions {
  /** The module that registers the app (worker.ts). */
  module: string;
  orchestrator: string;
  input: unknown;
  instanceId: string;
  stubs: RecordStubs;
  /** Applied in order at idle points; by default the stubs' events, raised in order. */
  steps?: RuntimeStep[];
  /** After this many timers, the instance is terminated at the next idle point (eternal orchestrations). */
  maxTimers?: number;
  /**
   * Leave the instance running when nothing more would move it on without firing a timer (no
   * steps left): an in-flight instance, as a pre-deploy check finds it. Default: terminate it.
   */
  leaveRunning?: boolean;
  /** Activities that never answer during the run: the instance stays in flight, waiting for them. */
  holdActivities?: readonly string[];
  /**
   * The version the client stamps on the instance (`scheduleNewOrchestration(..., { version })` on a
   * sidecar or DTS); the in-memory backend has no versions, so it is written into ExecutionStarted.
   */
  version?: string;
}

/** The stubs.json of an app folder, normalised. */
export function appStubs(appDir: string): RecordStubs {
  return normaliseStubs(JSON.parse(readFileSync(join(appDir, "stubs.json"), "utf8")), join(appDir, "stubs.json"));
}

/** The stubs' external events as raise steps, in order (an array payload is one event per entry). */
export function stubEventSteps(stubs: RecordStubs): RuntimeStep[] {
  const steps: RuntimeStep[] = [];
  for (const [name, payload] of Object.entries(stubs.events ?? {})) {
    for (const one of Array.isArray(payload) ? payload : [payload]) steps.push({ raise: name, payload: one });
  }
  return steps;
}

const require = createRequire(import.meta.url);
const pb = require("@microsoft/durabletask-js/dist/proto/orchestrator_service_pb.js") as typeof Pb;
const wrappersPb = createRequire(require.resolve("@microsoft/durabletask-js"))("google-protobuf/google/protobuf/wrappers_pb.js") as typeof WrappersPb;

const TERMINAL = new Set<number>([
  pb.OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED,
  pb.OrchestrationStatus.ORCHESTRATION_STATUS_FAILED,
  pb.OrchestrationStatus.ORCHESTRATION_STATUS_TERMINATED,
]);
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Lets the worker loop drain every queued work item: idle once nothing is queued for a few loop turns. */
async function settle(backend: InMemoryOrchestrationBackend): Promise<void> {
  let quiet = 0;
  for (let turns = 0; quiet < 4; turns++) {
    if (turns > 100_000) throw new Error("the in-memory runtime never went idle");
    await tick();
    quiet = backend.hasPendingWork() ? 0 : quiet + 1;
  }
}

function isTerminal(backend: InMemoryOrchestrationBackend, instanceId: string): boolean {
  const instance = backend.getInstance(instanceId);
  return instance !== undefined && TERMINAL.has(instance.status);
}

/** Error class names survive into TaskFailed as the stub says (`{ "error": { "type": ... } }`). */
function stubError(failure: { errorType: string; errorMessage: string }): Error {
  const error = new Error(failure.errorMessage);
  error.name = failure.errorType;
  return error;
}

export async function runOnInMemoryRuntime(options: RuntimeOptions): Promise<RuntimeRun> {
  const loaded = await loadModule(options.module);
  // Loading may have brought in a Dapr copy, which overwrites the global protobuf namespace the SDK reads.
  activateProtoNamespace(MICROSOFT_SDK);
  const backend = new InMemoryOrchestrationBackend();
  const worker = new TestOrchestrationWorker(backend);
  for (const registration of loaded.registrations) {
    if (registration.kind === "orchestrator") worker.addNamedOrchestrator(registration.name, registration.fn as unknown as TOrchestrator);
  }
  const attempts = new Map<string, number>();
  // The test worker awaits each activity inline: a held one blocks its loop until the run ends.
  const held: (() => void)[] = [];
  for (const [name, stub] of Object.entries(options.stubs.activities ?? {})) {
    worker.addNamedActivity(name, async (_ctx: unknown, input: unknown) => {
      if (options.holdActivities?.includes(name)) {
        await new Promise<void>((resolve) => held.push(resolve));
        throw new Error("the run ended while this activity was held");
      }
      const attempt = attempts.get(name) ?? 0;
      attempts.set(name, attempt + 1);
      const outcome = await runStub(stub, input === undefined ? undefined : JSON.stringify(input), attempt);
      if (!outcome.ok) throw stubError(outcome.failure);
      return outcome.result === undefined ? undefined : JSON.parse(outcome.result);
    });
  }
  const client = new TestOrchestrationClient(backend);
  const steps = [...(options.steps ?? stubEventSteps(options.stubs))];
  const maxTimers = options.maxTimers ?? 50;
  let timersFired = 0;
  let snapshot: Snapshot | undefined;
  // Only the timer functions are faked: the worker loop runs on setImmediate, timestamps stay real.
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
  // The test worker's executors log every event (and every failed activity) through the SDK's console logger.
  const quiet = (["log", "info", "debug", "warn", "error"] as const).map((level) => vi.spyOn(console, level).mockImplementation(() => {}));
  try {
    await worker.start();
    await client.scheduleNewOrchestration(options.orchestrator, options.input, options.instanceId);
    for (let rounds = 0; ; rounds++) {
      if (rounds > 1000) throw new Error(`${options.instanceId}: still running after 1000 idle points`);
      await settle(backend);
      if (isTerminal(backend, options.instanceId)) break;
      const step = steps.shift();
      if (step) {
        if ("raise" in step) backend.raiseEvent(options.instanceId, step.raise, step.payload === undefined ? undefined : JSON.stringify(step.payload));
        else if ("suspend" in step) backend.suspend(options.instanceId);
        else if ("resume" in step) backend.resume(options.instanceId);
        else backend.terminate(options.instanceId, JSON.stringify(step.terminate));
        continue;
      }
      if (options.leaveRunning) break;
      if (timersFired >= maxTimers || vi.getTimerCount() === 0) {
        // Nothing left that would move it on (or enough generations): stop it as an operator would.
        backend.terminate(options.instanceId, JSON.stringify("stopped by the test"));
        continue;
      }
      vi.advanceTimersToNextTimer();
      timersFired++;
    }
  } finally {
    snapshot = snapshotInstances(backend, options);
    for (const release of held.splice(0)) release();
    await worker.stop();
    vi.useRealTimers();
    for (const spy of quiet) spy.mockRestore();
  }
  // Cancels the timers still armed (a losing race timer), so nothing outlives the run.
  backend.reset();
  const { instanceIds, histories, instances } = snapshot!;
  return {
    instanceId: options.instanceId,
    instanceIds,
    history: (id) => histories.get(id) ?? [],
    getInstance: (id) => (histories.has(id) ? { history: histories.get(id)! } : undefined),
    timersFired,
    listInstances: () => instances,
  };
}

interface Snapshot {
  instanceIds: string[];
  histories: Map<string, PbHistoryEvent[]>;
  instances: StoredInstance[];
}

/** The root instance and every sub-orchestration it started, copied before held activities are released. */
function snapshotInstances(backend: InMemoryOrchestrationBackend, options: RuntimeOptions): Snapshot {
  const instanceIds = [options.instanceId];
  const histories = new Map<string, PbHistoryEvent[]>();
  const instances: StoredInstance[] = [];
  for (let i = 0; i < instanceIds.length; i++) {
    const instance = backend.getInstance(instanceIds[i]!);
    const history = (instance?.history ?? []).map((event) => event.cloneMessage());
    histories.set(instanceIds[i]!, history);
    if (instance) instances.push({ instanceId: instance.instanceId, name: instance.name, status: instance.status, createdAt: instance.createdAt, lastUpdatedAt: instance.lastUpdatedAt });
    for (const event of history) {
      const created = event.getSuborchestrationinstancecreated();
      if (created) instanceIds.push(created.getInstanceid());
      const started = event.getExecutionstarted();
      if (started && options.version !== undefined && instanceIds[i] === options.instanceId) {
        const version = new wrappersPb.StringValue();
        version.setValue(options.version);
        started.setVersion(version);
      }
    }
  }
  return { instanceIds, histories, instances };
}
