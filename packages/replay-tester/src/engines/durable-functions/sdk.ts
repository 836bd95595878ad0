import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Untyped } from "../durabletask/sdk.js";
import { assertSupportedSdk, requireSdkFile } from "../supported-sdks.js";

/** The parts of the user's durable-functions installation dtcheck drives (its own executor and test helpers). */
export interface DurableFunctionsSdk {
  root: string;
  createOrchestrator: Untyped;
  DurableOrchestrationInput: Untyped;
  DummyOrchestrationContext: Untyped;
  TaskOrchestrationExecutor: Untyped;
  DurableOrchestrationContext: Untyped;
  CompoundTask: Untyped;
  NoOpTask: Untyped;
  RetryableTask: Untyped;
  ActionType: Record<string, number>;
  HistoryEventType: Record<string, number>;
  /** The newest replay schema this package speaks, which a current Durable extension negotiates. */
  latestReplaySchema: number;
}

const cache = new Map<string, DurableFunctionsSdk>();

export function loadDurableFunctionsSdk(root: string): DurableFunctionsSdk {
  const cached = cache.get(root);
  if (cached) return cached;
  const version = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version?: string }).version ?? "unknown";
  assertSupportedSdk("durable-functions", version, root);
  const from = join(root, "package.json");
  const lib = (path: string): Untyped => requireSdkFile<Untyped>(from, join(root, "lib", "src", path), { packageName: "durable-functions", version });
  const testing = lib("util/testingUtils.js");
  const tasks = lib("task/index.js");
  const sdk: DurableFunctionsSdk = {
    root,
    createOrchestrator: testing.createOrchestrator,
    DurableOrchestrationInput: testing.DurableOrchestrationInput,
    DummyOrchestrationContext: testing.DummyOrchestrationContext,
    TaskOrchestrationExecutor: lib("orchestrations/TaskOrchestrationExecutor.js").TaskOrchestrationExecutor,
    DurableOrchestrationContext: lib("orchestrations/DurableOrchestrationContext.js").DurableOrchestrationContext,
    CompoundTask: tasks.CompoundTask,
    NoOpTask: tasks.NoOpTask,
    RetryableTask: tasks.RetryableTask,
    ActionType: lib("actions/ActionType.js").ActionType,
    HistoryEventType: lib("history/HistoryEventType.js").HistoryEventType,
    latestReplaySchema: lib("orchestrations/ReplaySchema.js").LatestReplaySchema ?? 0,
  };
  cache.set(root, sdk);
  return sdk;
}
