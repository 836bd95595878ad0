/**
 * The oracle property in the suite: dtcheck's verdict equals the durabletask-js executor's, fed work
 * item by work item, for fuzzed histories of every durabletask-js sample app and every mutation of
 * their code (support/oracle-property.ts; bench/oracle.bench.mjs runs more worlds and reports the rate).
 */
import { describe, expect, it } from "vitest";
import { ORACLE_APPS, oracleAgreement } from "../support/oracle-property.js";

describe("dtcheck agrees with the SDK's own executor", () => {
  it("on fuzzed histories of every durabletask-js app, with the code unchanged and mutated at every call", async () => {
    expect(ORACLE_APPS.map((app) => app.id.replace("durabletask/", ""))).toEqual([
      "approval", "chaining", "eternal", "monitor", "newsletter", "retry", "saga", "sub-orchestrations", "versioned/v1", "versioned/v2-gated", "versioned/v2-ungated",
    ]);
    const result = await oracleAgreement({ seed: 20261201, worlds: 4 });
    expect(result.disagreements.slice(0, 10)).toEqual([]);
    expect(result.agreed).toBe(result.cases);
    // Seeded: the same worlds every run. All three verdicts occur, so the agreement is not vacuous.
    expect({ histories: result.histories, cases: result.cases, verdicts: result.verdicts }).toEqual({ histories: 52, cases: 977, verdicts: { ok: 415, rejected: 484, failed: 78 } });
  }, 120_000);
});
