/**
 * The oracle property in the suite: dtcheck's verdict equals the durabletask-js executor's, fed work
 * item by work item, for fuzzed histories of every durabletask-js sample app and every mutation of
 * their code (support/oracle-property.ts; bench/oracle.bench.mjs runs more worlds and reports the rate).
 * The same for durable-functions against its own orchestrator listener with DTFx's check (support/df-oracle.ts).
 */
import { describe, expect, it } from "vitest";
import { DF_ORACLE_APPS, dfOracleAgreement, ORACLE_APPS, oracleAgreement } from "../support/oracle-property.js";

const APP_NAMES = ["approval", "chaining", "eternal", "monitor", "newsletter", "retry", "saga", "sub-orchestrations", "versioned/v1", "versioned/v2-gated", "versioned/v2-ungated"];

const PROPERTIES = [
  {
    oracle: "the SDK's own executor (durabletask-js)",
    apps: ORACLE_APPS,
    run: oracleAgreement,
    // Seeded: the same worlds every run. All three verdicts occur, so the agreement is not vacuous.
    expected: { histories: 52, cases: 977, verdicts: { ok: 415, rejected: 484, failed: 78 } },
  },
  {
    oracle: "the Durable Functions runtime's orchestrator listener (durable-functions)",
    apps: DF_ORACLE_APPS,
    run: dfOracleAgreement,
    expected: { histories: 52, cases: 1037, verdicts: { ok: 499, rejected: 447, failed: 91 } },
  },
];

describe.each(PROPERTIES)("dtcheck agrees with $oracle", ({ apps, run, expected }) => {
  it("on fuzzed histories of every app (but the entity one), with the code unchanged and mutated at every call", async () => {
    expect(apps.map((app) => app.id.replace(/^(durabletask|durable-functions)\//, ""))).toEqual(APP_NAMES);
    const result = await run({ seed: 20261201, worlds: 4 });
    expect(result.disagreements.slice(0, 10)).toEqual([]);
    expect(result.agreed).toBe(result.cases);
    expect({ histories: result.histories, cases: result.cases, verdicts: result.verdicts }).toEqual(expected);
  }, 120_000);
});
