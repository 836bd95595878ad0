import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TEST_SEED } from "./fast-check-seed.js";

describe("fast-check in the test suite", () => {
  it("draws from the suite's fixed seed when a property names none", () => {
    expect(fc.readConfigureGlobal().seed).toBe(TEST_SEED);
    const drawn = fc.sample(fc.integer(), 5);
    expect(drawn).toEqual(fc.sample(fc.integer(), { numRuns: 5, seed: TEST_SEED }));
    expect(fc.sample(fc.integer(), 5)).toEqual(drawn);
  });
});
