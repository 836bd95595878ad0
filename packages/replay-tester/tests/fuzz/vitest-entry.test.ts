import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";

describe("the @dtcheck/replay-tester/vitest entry", () => {
  it("resolves through the package's exports map to the built matchers and registers them", async () => {
    const resolved = import.meta.resolve("@dtcheck/replay-tester/vitest");
    expect(fileURLToPath(resolved)).toMatch(/packages\/replay-tester\/dist\/vitest\/index\.js$/);
    const entry = (await import("@dtcheck/replay-tester/vitest")) as Record<string, unknown>;
    expect(typeof entry["toBeDeterministic"]).toBe("function");
    await expect(`${fileURLToPath(new URL("../../../../fixtures/drift/hidden-clock/", import.meta.url))}fixed.ts`).toBeDeterministic({ fuzz: { input: { id: 2 } }, runs: 5, seed: 1 });
  });
});
