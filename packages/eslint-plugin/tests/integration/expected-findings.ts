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
  // durabletask-js: structure (generator shape, await, combinators, Tasks, logging, loops, registration)
  "durabletask/monitor-bad.ts:10:generator-shape",
  "durabletask/monitor-bad.ts:15:replay-safe-logging",
  "durabletask/monitor-bad.ts:16:no-await",
  "durabletask/monitor-bad.ts:17:yield-durable-tasks",
  "durabletask/monitor-bad.ts:18:yield-durable-tasks",
  "durabletask/monitor-bad.ts:19:no-promise-combinators",
  "durabletask/monitor-bad.ts:20:no-eternal-loop",
  // durable-functions
  "durable-functions/approval-bad.ts:15:no-wall-clock",
  "durable-functions/approval-bad.ts:16:no-random",
  "durable-functions/approval-bad.ts:17:no-environment",
  "durable-functions/approval-bad.ts:18:no-io",
  "durable-functions/approval-bad.ts:20:no-unstable-iteration",
  "durable-functions/approval-bad.ts:24:no-module-state",
  "durable-functions/reminder-bad.ts:4:generator-shape",
  "durable-functions/reminder-bad.ts:5:replay-safe-logging",
  "durable-functions/reminder-bad.ts:7:no-await",
  "durable-functions/reminder-bad.ts:8:yield-durable-tasks",
  "durable-functions/reminder-bad.ts:10:no-promise-combinators",
  "durable-functions/reminder-bad.ts:11:no-eternal-loop",
  "durable-functions/reminder-bad.ts:19:yield-durable-tasks",
  // Dapr
  "dapr/shipping-bad.ts:15:no-random",
  "dapr/shipping-bad.ts:16:no-io",
  "dapr/shipping-bad.ts:17:no-module-state",
  "dapr/shipping-bad.ts:19:no-unstable-iteration",
  "dapr/shipping-bad.ts:23:no-wall-clock",
  "dapr/shipping-bad.ts:24:no-dynamic-code",
  "dapr/shipping-bad.ts:24:no-await",
  "dapr/payment-bad.ts:6:generator-shape",
  "dapr/payment-bad.ts:6:yield-durable-tasks",
  "dapr/payment-bad.ts:9:replay-safe-logging",
  "dapr/payment-bad.ts:10:no-await",
  "dapr/payment-bad.ts:11:yield-durable-tasks",
  "dapr/payment-bad.ts:12:no-promise-combinators",
  "dapr/payment-bad.ts:12:no-timers",
];
