/**
 * The exact findings on the fixture projects (fixtures/lint/projects), as
 * `<project>/<file>:<line>:<rule>`: the same set without types (the analysis follows imports
 * itself), with types, through `eslint` with the config `dtcheck init` writes, and `dtcheck lint`.
 * Files not listed (workers, barrels, helpers, registering helpers) must produce no finding.
 */
export const PROJECTS = ["durabletask-esm", "durable-functions-cjs", "dapr-esm", "durable-functions-js"] as const;

export const EXPECTED_PROJECT_FINDINGS: readonly string[] = [
  // durabletask-js, ESM: loop registration in worker.ts, a paths alias and barrels, classes elsewhere.
  "durabletask-esm/src/orchestrators/audit.ts:11:replay-safe-logging",
  // Getters read in another file (object literal, instance, static), class field initialisers run
  // by `new` (with and without a constructor), a static arrow-function field.
  "durabletask-esm/src/orchestrators/billing.ts:5:no-environment",
  "durabletask-esm/src/orchestrators/billing.ts:9:no-wall-clock",
  "durabletask-esm/src/orchestrators/billing.ts:10:no-wall-clock",
  "durabletask-esm/src/orchestrators/billing.ts:11:no-wall-clock",
  "durabletask-esm/src/orchestrators/billing.ts:13:no-random",
  "durabletask-esm/src/orchestrators/billing.ts:14:no-wall-clock",
  // Registered from an object in another file, found by the use of their context (entity client,
  // sendEvent, newGuid/continueAsNew).
  "durabletask-esm/src/orchestrators/counter.ts:4:no-wall-clock",
  "durabletask-esm/src/orchestrators/notify.ts:2:no-random",
  "durabletask-esm/src/orchestrators/rollover.ts:3:replay-safe-logging",
  "durabletask-esm/src/orchestrators/order.ts:5:no-random",
  "durabletask-esm/src/orchestrators/order.ts:6:no-wall-clock",
  "durabletask-esm/src/orchestrators/order.ts:8:no-environment",
  "durabletask-esm/src/orchestrators/shipment.ts:4:no-wall-clock",
  // durable-functions, CommonJS TypeScript: extensionless imports, `export =`, require() of a class.
  "durable-functions-cjs/src/orchestrators/approval.ts:6:no-wall-clock",
  "durable-functions-cjs/src/orchestrators/approval.ts:7:no-random",
  "durable-functions-cjs/src/orchestrators/approval.ts:9:no-environment",
  "durable-functions-cjs/src/orchestrators/approval.ts:11:replay-safe-logging",
  "durable-functions-cjs/src/orchestrators/reminder.ts:4:no-replay-conditional-calls",
  "durable-functions-cjs/src/orchestrators/reminder.ts:7:no-replay-conditional-calls",
  "durable-functions-cjs/src/orchestrators/reminder.ts:8:no-wall-clock",
  // Dapr, ESM: workflows behind a barrel, registered from a Map.
  "dapr-esm/src/workflows/payment.ts:6:no-random",
  "dapr-esm/src/workflows/payment.ts:7:no-wall-clock",
  "dapr-esm/src/workflows/refund.ts:5:replay-safe-logging",
  // durable-functions, plain CommonJS JavaScript (ESLint's default parser): require() helpers.
  "durable-functions-js/src/greeting.js:5:no-wall-clock",
  "durable-functions-js/src/greeting.js:6:no-random",
  // A getter of a require()d object literal.
  "durable-functions-js/src/greeting.js:7:no-wall-clock",
];
