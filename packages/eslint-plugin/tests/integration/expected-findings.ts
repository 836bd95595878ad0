/**
 * The exact findings the `recommended` config must produce on fixtures/lint, as
 * `<sdk dir>/<file>:<line>:<rule>`. One list for every rule: a helper adding rules extends it here.
 * Files not listed (the *-good.ts files, activities, workers) must produce no finding at all.
 */
export const EXPECTED_FINDINGS: readonly string[] = [
  // durabletask-js
  "durabletask/order-bad.ts:21:no-wall-clock",
  "durabletask/order-bad.ts:22:no-random",
  "durabletask/order-bad.ts:23:no-random",
  "durabletask/order-bad.ts:24:no-io",
  "durabletask/order-bad.ts:25:no-environment",
  "durabletask/order-bad.ts:26:no-module-state",
  "durabletask/order-bad.ts:28:no-unstable-iteration",
  "durabletask/order-bad.ts:32:no-timers",
  // durable-functions
  "durable-functions/approval-bad.ts:15:no-wall-clock",
  "durable-functions/approval-bad.ts:16:no-random",
  "durable-functions/approval-bad.ts:17:no-environment",
  "durable-functions/approval-bad.ts:18:no-io",
  "durable-functions/approval-bad.ts:20:no-unstable-iteration",
  "durable-functions/approval-bad.ts:24:no-module-state",
  // Dapr
  "dapr/shipping-bad.ts:15:no-random",
  "dapr/shipping-bad.ts:16:no-io",
  "dapr/shipping-bad.ts:17:no-module-state",
  "dapr/shipping-bad.ts:19:no-unstable-iteration",
  "dapr/shipping-bad.ts:23:no-wall-clock",
  "dapr/shipping-bad.ts:24:no-dynamic-code",
  "dapr/shipping-bad.ts:24:no-await",
];
