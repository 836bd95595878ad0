/**
 * A task hub as a pre-deploy check finds it: instances of the durabletask-js sample apps run on the
 * SDK's in-memory runtime and left where production leaves them (orders waiting for their payment,
 * an expense waiting for its approval) beside one that completed. Served by history-server.ts, it
 * is what `dtcheck pull` tests fetch from.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { appStubs, runOnInMemoryRuntime, type RuntimeRun } from "./in-memory-runtime.js";
import type { HistoryStore, StoredInstance } from "./history-server.js";

export const APPS = fileURLToPath(new URL("../../../../fixtures/apps/durabletask/", import.meta.url));

export interface LiveTaskHub extends HistoryStore {
  listInstances(): StoredInstance[];
  /** The instance ids in creation order. */
  ids: string[];
}

const input = (app: string) => JSON.parse(readFileSync(join(APPS, app, "input.json"), "utf8")) as unknown;

/** The runs, one after the other (their creation times are in this order). */
export async function liveTaskHub(): Promise<LiveTaskHub> {
  const v1 = join(APPS, "versioned/v1");
  const runs: RuntimeRun[] = [];
  // In flight after validateOrder: chargePayment is scheduled and has not answered.
  runs.push(await runOnInMemoryRuntime({ module: join(v1, "worker.ts"), orchestrator: "processOrder", input: input("versioned/v1"), instanceId: "order-5120", stubs: appStubs(v1), holdActivities: ["chargePayment"], leaveRunning: true, version: "1.0.0" }));
  // Waiting for ApprovalDecision, racing its 24-hour timer.
  const approval = join(APPS, "approval");
  runs.push(await runOnInMemoryRuntime({ module: join(approval, "worker.ts"), orchestrator: "expenseApproval", input: input("approval"), instanceId: "exp/1042", stubs: appStubs(approval), steps: [], leaveRunning: true }));
  // Finished: nothing left to replay on a new version.
  const chaining = join(APPS, "chaining");
  runs.push(await runOnInMemoryRuntime({ module: join(chaining, "worker.ts"), orchestrator: "onboardUser", input: input("chaining"), instanceId: "user-7", stubs: appStubs(chaining) }));
  // A second order, in flight one step further: shipOrder has not answered.
  runs.push(await runOnInMemoryRuntime({ module: join(v1, "worker.ts"), orchestrator: "processOrder", input: input("versioned/v1"), instanceId: "order-5121", stubs: appStubs(v1), holdActivities: ["shipOrder"], leaveRunning: true, version: "1.0.0" }));
  const instances = runs.flatMap((run) => run.listInstances());
  return {
    ids: instances.map((i) => i.instanceId),
    getInstance: (id) => runs.find((run) => run.instanceIds.includes(id))?.getInstance(id),
    listInstances: () => instances,
  };
}
