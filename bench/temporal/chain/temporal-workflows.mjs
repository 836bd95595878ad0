// The Temporal side of the side-by-side: the same chain of ten activities as
// bench/temporal/chain/durabletask-chain.mjs. Bundled by Temporal's worker for replay.
import { proxyActivities } from "@temporalio/workflow";

const { step } = proxyActivities({ startToCloseTimeout: "10 seconds" });

export async function chain(input) {
  let value = input;
  for (let i = 0; i < 10; i++) value = await step(value);
  return value;
}
