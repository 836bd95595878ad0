// The durabletask-js side of the Temporal side-by-side: a chain of ten activities, each fed the
// previous one's result, as bench/temporal/chain/temporal-workflows.mjs is for Temporal.
import { TaskHubGrpcWorker } from "@microsoft/durabletask-js";

export async function* chain(ctx, input) {
  let value = input;
  for (let step = 0; step < 10; step++) value = yield ctx.callActivity("step", value);
  return value;
}

// Registered as a worker registers it; dtcheck reads the registration and never starts the worker.
const worker = new TaskHubGrpcWorker({ hostAddress: "localhost:4001" });
worker.addNamedOrchestrator("chain", chain);
worker.addNamedActivity("step", async (_ctx, value) => value);
